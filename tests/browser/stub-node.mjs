// A small in-process stand-in for the Liandong node, following docs/API.md: enough of the API and
// the live stream for the console's browser scenario to run without the C++ node (a fast check of
// the console itself). The real-node test is console.test.mjs; this one is console.stub.test.mjs.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = [
  { code: 'fire', category: 'accident_disaster', family: 'production_safety', name_zh: '火灾', name_en: 'Fire' },
  { code: 'flood', category: 'natural_disaster', family: 'natural_disaster', name_zh: '洪涝灾害', name_en: 'Flood' },
  { code: 'traffic_accident', category: 'accident_disaster', family: 'production_safety', name_zh: '道路交通事故', name_en: 'Road traffic accident' },
];
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' };

export async function startStubNode({ webDir, jurisdiction = '441200' }) {
  const J = jurisdiction;
  const events = [];
  const sockets = new Set();
  const incidents = new Map();
  const alarms = new Map();
  const idem = new Map();
  let nInc = 0;
  let nAlm = 0;
  const now = () => new Date().toISOString();

  const emit = (type, data) => {
    const ev = { seq: events.length + 1, origin: J, jurisdiction: J, time: now(), type, data: { by: 'anonymous', ...data } };
    events.push(ev);
    for (const s of sockets) wsSend(s, { type: 'event', event: ev });
    const inc = data.incident_id && incidents.get(data.incident_id);
    if (inc) inc.timeline.push({ seq: ev.seq, time: ev.time, type, by: 'anonymous', summary: type });
  };
  emit('node.configured', { jurisdiction: J });

  const propose = (inc) => {
    const f = inc.figures;
    const g = f.deaths >= 30 ? 'I' : f.deaths >= 10 ? 'II' : f.deaths >= 3 ? 'III' : 'IV';
    const reason = `deaths ${f.deaths ?? 0}, serious injuries ${f.serious_injuries ?? 0}: grade ${g} (production_safety)`;
    if (inc.grade.proposed !== g) {
      inc.grade.proposed = g;
      inc.grade.history.push({ kind: 'proposed', grade: g, by: 'rules', at: now(), reason });
      emit('incident.grade_proposed', { incident_id: inc.id, grade: g, family: 'production_safety', reason });
    }
  };
  const publicInc = (inc) => {
    const { timeline: _t, ...rest } = inc;
    return { ...rest, alarm_count: inc.alarm_ids.length };
  };
  const dist = (a, b) => Math.hypot((a.lon - b.lon) * 102, (a.lat - b.lat) * 111);
  const err = (res, status, code, message, field) => json(res, status, field ? { code, message, field } : { code, message });

  async function api(req, res, url, body) {
    const p = url.pathname.replace(/^\/api\/v1/, '');
    const m = req.method;
    let mm;
    if (m === 'GET' && p === '/health') return json(res, 200, { status: 'ok', seq: events.length, jurisdiction: J });
    if (m === 'GET' && p === '/node')
      return json(res, 200, {
        jurisdiction: J, name: '肇庆市', time_zone: 'Asia/Shanghai',
        tree: [{ code: J, name: '肇庆市', parent: '440000' }, { code: '441202', name: '端州区', parent: J }],
        map: { center: { lon: 112.465, lat: 23.047 }, zoom: 12 }, tile_url: null,
      });
    if (m === 'GET' && p === '/taxonomy')
      return json(res, 200, {
        categories: ['natural_disaster', 'accident_disaster', 'public_health', 'social_safety'],
        types: TYPES, grades: ['I', 'II', 'III', 'IV'], priorities: ['P1', 'P2', 'P3', 'P4'],
        channels: ['110', '119', '120', '122', '12345', 'sensor', 'linkage', 'manual'],
      });
    if (m === 'GET' && p === '/units')
      return json(res, 200, { items: [{ id: `${J}-UNT-1`, name: '端州消防 1 号车', type: 'engine', status: 'available', location: { lon: 112.47, lat: 23.05 } }] });
    if (m === 'GET' && p === '/layers/boundaries')
      return json(res, 200, {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { code: '441202', name: '端州区' },
          geometry: { type: 'Polygon', coordinates: [[[112.40, 23.00], [112.53, 23.00], [112.53, 23.10], [112.40, 23.10], [112.40, 23.00]]] } }],
      });
    if (m === 'GET' && p === '/layers/roads') return err(res, 404, 'not_found', 'no road graph loaded');
    if (m === 'GET' && p === '/incidents') {
      let items = [...incidents.values()].reverse();
      if (url.searchParams.get('open') === 'true') items = items.filter((i) => !['closed', 'cancelled'].includes(i.status));
      return json(res, 200, { items: items.map(publicInc), next_cursor: null });
    }
    if ((mm = p.match(/^\/incidents\/([^/]+)$/)) && m === 'GET') {
      const inc = incidents.get(decodeURIComponent(mm[1]));
      if (!inc) return err(res, 404, 'not_found', 'no such incident');
      return json(res, 200, { ...publicInc(inc), alarms: inc.alarm_ids.map((a) => alarms.get(a)), timeline: inc.timeline });
    }
    if (m === 'POST' && p === '/alarms') {
      const key = req.headers['idempotency-key'];
      if (key && idem.has(key)) return json(res, 200, idem.get(key));
      if (!body || typeof body !== 'object') return err(res, 400, 'malformed_json', 'body is not JSON');
      if (!body.channel) return err(res, 400, 'invalid_field', 'channel is required', 'channel');
      if (!body.reported_at) return err(res, 400, 'invalid_field', 'reported_at is required', 'reported_at');
      if (!/(Z|[+-]\d\d:\d\d)$/.test(body.reported_at)) return err(res, 400, 'time_without_offset', 'a time needs an offset', 'reported_at');
      const type = TYPES.find((t) => t.code === body.type);
      if (!type) return err(res, 400, 'invalid_field', `unknown type ${body.type}`, 'type');
      if (!body.location && !body.address) return err(res, 400, 'invalid_field', 'location or address is required', 'location');
      if (body.location && (body.location.lon < 73 || body.location.lon > 136)) return err(res, 400, 'invalid_field', 'longitude out of range', 'location.lon');
      const alarm = { id: `${J}-ALM-${++nAlm}`, channel: body.channel, reported_at: new Date(body.reported_at).toISOString(), caller: body.caller ?? {},
        location: body.location ?? null, address: body.address ?? null, type: type.code, category: type.category, description: body.description ?? '',
        figures: body.figures ?? {}, incident_id: null };
      alarms.set(alarm.id, alarm);
      let inc = body.location && [...incidents.values()].find((i) => i.status !== 'closed' && i.status !== 'cancelled' && i.type === type.code && i.location && dist(i.location, body.location) < 1);
      const joined = Boolean(inc);
      if (!inc) {
        inc = { id: `${J}-INC-${++nInc}`, jurisdiction: '441202', status: 'reported', category: type.category, type: type.code, priority: 'P2',
          title: `${type.code} · ${body.address ?? ''}`, description: alarm.description, location: alarm.location, address: alarm.address,
          located: Boolean(alarm.location), figures: { ...alarm.figures }, grade: { proposed: null, confirmed: null, history: [] },
          alarm_ids: [], opened_at: now(), updated_at: now(), closed_at: null, timeline: [] };
        incidents.set(inc.id, inc);
      }
      inc.alarm_ids.push(alarm.id);
      alarm.incident_id = inc.id;
      inc.updated_at = now();
      emit('alarm.received', { alarm, incident_id: inc.id, joined });
      if (!joined) {
        emit('incident.opened', { incident_id: inc.id, incident: publicInc(inc) });
        propose(inc);
      }
      const answer = { alarm_id: alarm.id, incident_id: inc.id, joined };
      if (key) idem.set(key, answer);
      return json(res, 201, answer);
    }
    if ((mm = p.match(/^\/incidents\/([^/]+)\/(grade|status|priority)$/)) && m === 'POST') {
      const inc = incidents.get(decodeURIComponent(mm[1]));
      if (!inc) return err(res, 404, 'not_found', 'no such incident');
      if (mm[2] === 'grade') {
        if (!['I', 'II', 'III', 'IV'].includes(body?.grade)) return err(res, 400, 'invalid_field', 'grade', 'grade');
        if (body.grade !== inc.grade.proposed && !body.reason) return err(res, 400, 'invalid_field', 'a reason is required', 'reason');
        inc.grade.confirmed = body.grade;
        inc.grade.history.push({ kind: 'confirmed', grade: body.grade, by: 'anonymous', at: now(), reason: body.reason ?? '' });
        emit('incident.grade_confirmed', { incident_id: inc.id, grade: body.grade, proposed: inc.grade.proposed, reason: body.reason ?? '' });
      } else if (mm[2] === 'status') {
        const order = ['reported', 'verified', 'responding', 'contained', 'closed'];
        const ok = body?.status === 'cancelled' ? inc.status !== 'closed' && inc.status !== 'cancelled' : order.indexOf(body?.status) > order.indexOf(inc.status);
        if (!ok) return err(res, 409, 'conflict', `cannot go from ${inc.status} to ${body?.status}`);
        const from = inc.status;
        inc.status = body.status;
        if (['closed', 'cancelled'].includes(inc.status)) inc.closed_at = now();
        emit('incident.status_changed', { incident_id: inc.id, from, to: inc.status, reason: body.reason ?? '' });
      } else {
        const from = inc.priority;
        inc.priority = body.priority;
        emit('incident.priority_changed', { incident_id: inc.id, from, to: inc.priority });
      }
      inc.updated_at = now();
      return json(res, 200, publicInc(inc));
    }
    if ((mm = p.match(/^\/alarms\/([^/]+)\/locate$/)) && m === 'POST') {
      const a = alarms.get(decodeURIComponent(mm[1]));
      if (!a) return err(res, 404, 'not_found', 'no such alarm');
      a.location = body.location;
      const inc = incidents.get(a.incident_id);
      if (inc && !inc.location) Object.assign(inc, { location: body.location, located: true });
      emit('alarm.located', { alarm_id: a.id, incident_id: a.incident_id, location: body.location });
      return json(res, 200, a);
    }
    return err(res, 404, 'not_found', `no route ${m} ${p}`);
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/api/')) {
      let raw = '';
      for await (const c of req) raw += c;
      let body = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        return err(res, 400, 'malformed_json', 'body is not JSON');
      }
      return api(req, res, url, body);
    }
    let file = normalize(url.pathname === '/' ? '/index.html' : url.pathname);
    try {
      const data = await readFile(join(webDir, file));
      res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(data);
    } catch {
      res.writeHead(404).end('not found');
    }
  });

  server.on('upgrade', (req, socket) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname !== '/api/v1/stream') return socket.destroy();
    const accept = createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const after = Number(url.searchParams.get('after') ?? 0);
    for (const ev of events) if (ev.seq > after) wsSend(socket, { type: 'event', event: ev });
    sockets.add(socket);
    socket.on('data', (buf) => {
      if ((buf[0] & 0x0f) === 8) socket.end(); // close frame
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
  });

  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    /** Drops every WebSocket, as a node restart or a network cut would. */
    dropStreams() {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

function json(res, status, obj) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(obj));
}

function wsSend(socket, obj) {
  const payload = Buffer.from(JSON.stringify(obj));
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, len]) : len < 65536 ? Buffer.from([0x81, 126, len >> 8, len & 255]) : null;
  if (!head) {
    const h = Buffer.alloc(10);
    h[0] = 0x81;
    h[1] = 127;
    h.writeBigUInt64BE(BigInt(len), 2);
    socket.write(Buffer.concat([h, payload]));
  } else socket.write(Buffer.concat([head, payload]));
}
