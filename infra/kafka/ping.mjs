// Kafka readiness probe without client libraries: sends an ApiVersions v0 request and
// exits 0 when the broker answers with error code 0. Usage: node ping.mjs HOST PORT
import net from 'node:net';

const [host = '127.0.0.1', port = '9092'] = process.argv.slice(2);
const clientId = Buffer.from('praxis-infra');
const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
body.writeInt16BE(18, 0); // ApiVersions
body.writeInt16BE(0, 2);
body.writeInt32BE(7, 4); // correlation id
body.writeInt16BE(clientId.length, 8);
clientId.copy(body, 10);
const frame = Buffer.concat([Buffer.alloc(4), body]);
frame.writeInt32BE(body.length, 0);

const socket = net.connect({ host, port: Number(port) });
const timer = setTimeout(() => { socket.destroy(); process.exit(2); }, 3000);
let received = Buffer.alloc(0);
socket.on('connect', () => socket.write(frame));
socket.on('data', (chunk) => {
  received = Buffer.concat([received, chunk]);
  if (received.length < 10) return;
  clearTimeout(timer);
  const correlation = received.readInt32BE(4);
  const errorCode = received.readInt16BE(8);
  socket.destroy();
  process.exit(correlation === 7 && errorCode === 0 ? 0 : 1);
});
socket.on('error', () => { clearTimeout(timer); process.exit(1); });
