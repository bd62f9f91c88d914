# Runs inside the container: APP_ENV, APP_COMMIT and APP_RELEASE come from the deploy recipe.
mkdir -p /www
sed -e "s/@ENV@/${APP_ENV:-unknown}/g" -e "s/@COMMIT@/${APP_COMMIT:-unknown}/g" -e "s/@RELEASE@/${APP_RELEASE:-unknown}/g" /app/index.html > /www/index.html
if [ -e /app/health ] && [ ! -e "/app/broken-${APP_ENV}" ]; then
	cp /app/health /www/health
fi
echo "demo web: ${APP_ENV} on ${APP_COMMIT} (release ${APP_RELEASE})"
exec httpd -f -v -p 8080 -h /www
