// A user journey end to end, as the booking funnel sees it: book a seat, then send the analytics
// event that counts the booking. Run by `opsconsole check` with zx; exit 0 passes.
const kit = await import(process.env.OPSCONSOLE_RECIPE_KIT);
const {environment} = kit.context();
const web = Object.values(environment.services).find(service => service.port);
if (!web) throw new Error(`${environment.name} has no published web service to walk through`);
const base = `http://127.0.0.1:${web.port}`;

kit.step('book a seat');
const booking = await fetch(`${base}/api/booking`, {method: 'POST', body: JSON.stringify({flight: 'OC123', seats: 1})});
const answer = await booking.text();
echo(`POST /api/booking → ${booking.status} ${answer}`);
if (booking.status !== 201) throw new Error(`booking answered ${booking.status}, expected 201`);
const {id} = JSON.parse(answer);

kit.step('track the booking');
const event = await fetch(`${base}/api/events`, {method: 'POST', body: JSON.stringify({event: 'booking_confirmed', booking: id})});
echo(`POST /api/events → ${event.status} ${await event.text()}`);
if (event.status !== 202) throw new Error(`analytics answered ${event.status}, expected 202`);
