# One HTTP request per connection (busybox nc runs this for each): the demo's homepage, /health,
# the booking journey the staging checklist walks, and an analytics endpoint. Every answer
# carries the security headers the checklist looks for; every request leaves a log line.
# Shell builtins only on the common path: a process per step would be slow on a busy machine.
# start.sh exports CR (a carriage return) and PAGE (the homepage).
export LC_ALL=C
read -r method target version
length=0
while IFS= read -r line; do
	line=${line%"$CR"}
	[ -z "$line" ] && break
	case "$line" in
		[Cc]ontent-[Ll]ength:*) length=${line#*:}; length=${length# } ;;
	esac
done
case "$length" in
	''|*[!0-9]*) length=0 ;;
esac
body=""
[ "$length" -gt 0 ] && body=$(dd bs=1 count="$length" 2>/dev/null)
path=${target%%\?*}

respond() {
	printf 'HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %s\r\nConnection: close\r\n' "$1" "$2" "${#3}"
	printf 'Strict-Transport-Security: max-age=63072000; includeSubDomains\r\n'
	printf "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'\r\n"
	printf 'X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n\r\n%s' "$3"
	echo "${APP_ENV:-demo} $method $path ${1%% *}" >&2
}

case "$method $path" in
	"GET /health"|"HEAD /health")
		if [ -e /www/health ]; then respond "200 OK" text/plain "ok"; else respond "503 Service Unavailable" text/plain "broken"; fi ;;
	"POST /api/booking")
		if [ -e /tmp/fault ]; then
			echo "ERROR booking failed: payment provider unavailable" >&2
			respond "503 Service Unavailable" application/json '{"error":"payment provider unavailable"}'
		else
			respond "201 Created" application/json "{\"booking\":\"confirmed\",\"id\":$$,\"release\":\"${APP_RELEASE:-unknown}\"}"
		fi ;;
	"POST /api/events")
		printf 'analytics event: %.200s\n' "$body" >&2
		respond "202 Accepted" application/json '{"tracked":true}' ;;
	"POST /api/fault")
		: > /tmp/fault
		respond "200 OK" text/plain "bookings now fail (DELETE /api/fault to stop)" ;;
	"DELETE /api/fault")
		rm -f /tmp/fault
		respond "200 OK" text/plain "bookings work again" ;;
	"GET /"|"GET /index.html")
		respond "200 OK" "text/html; charset=utf-8" "$PAGE" ;;
	"GET "*|"HEAD "*)
		respond "404 Not Found" text/plain "not found" ;;
	*)
		respond "405 Method Not Allowed" text/plain "method not allowed" ;;
esac
