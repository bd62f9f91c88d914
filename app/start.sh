# Runs inside the container: APP_ENV, APP_COMMIT and APP_RELEASE come from the deploy recipe.
mkdir -p /www /tmp
sed -e "s/@ENV@/${APP_ENV:-unknown}/g" -e "s/@COMMIT@/${APP_COMMIT:-unknown}/g" -e "s/@RELEASE@/${APP_RELEASE:-unknown}/g" /app/index.html > /www/index.html
if [ -e /app/health ] && [ ! -e "/app/broken-${APP_ENV}" ]; then
	cp /app/health /www/health
fi
echo "demo web: ${APP_ENV} on ${APP_COMMIT} (release ${APP_RELEASE})"
# busybox nc serves each connection with serve.sh (httpd cannot add headers to static pages).
CR=$(printf '\r')
PAGE=$(cat /www/index.html)
export CR PAGE
# nc does not handle SIGTERM, and as process 1 an unhandled signal is ignored: this shell stays
# process 1 and ends it, so a deploy or rollback stops the old container at once, not after a timeout.
nc -ll -p 8080 -e /bin/sh /app/serve.sh &
server=$!
trap 'kill "$server"; exit 0' TERM INT
wait "$server"
