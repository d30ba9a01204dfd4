// The floor of this machine: node:http answering 204 without reading anything.
import { createServer } from 'node:http';

createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.statusCode = 204;
    res.end();
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
