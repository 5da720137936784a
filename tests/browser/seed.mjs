// Requests to the node under test and the dispatch scenario's seed: agencies, stations and units
// registered through the API by the administrator, on points of the node's road network.

export async function api(url, method, path, token, body) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function signInApi(url, name, password) {
  return (await api(url, 'POST', '/session', null, { name, password })).token;
}

/** A point of the road network near `p`, from the roads layer around it. */
async function roadPointNear(url, token, p) {
  const d = 0.004;
  const gj = await api(url, 'GET', `/roads?bbox=${p.lon - d},${p.lat - d},${p.lon + d},${p.lat + d}&zoom=16`, token);
  let best = null;
  for (const f of gj.features ?? [])
    for (const [lon, lat] of f.geometry.coordinates) {
      const dist = (lon - p.lon) ** 2 + (lat - p.lat) ** 2;
      if (!best || dist < best.dist) best = { lon, lat, dist };
    }
  if (!best) throw new Error(`no road near ${JSON.stringify(p)}`);
  return { lon: best.lon, lat: best.lat };
}

/**
 * Two fire stations (one near the middle of the road network, one farther out) and an ambulance
 * station; three engines, a ladder, two ambulances. Returns the units by call sign, the incident
 * point (on a road by the middle), a point far from every road, and a position-ingest key.
 */
export async function seedDispatch(url, jurisdiction, adminPassword) {
  const token = await signInApi(url, 'admin', adminPassword);
  const info = await api(url, 'GET', '/roads/info', token);
  if (!info.loaded) throw new Error('the dispatch scenario needs a node with a road network');
  const [w, s, e, n] = info.bbox;
  const mid = { lon: (w + e) / 2, lat: (s + n) / 2 };
  const at = (fx, fy) => roadPointNear(url, token, { lon: mid.lon + (e - w) * fx, lat: mid.lat + (n - s) * fy });
  const incident = await at(0, 0);
  const fire = await api(url, 'POST', '/agencies', token, { jurisdiction, name: '测试消防救援支队', kind: '119' });
  const ems = await api(url, 'POST', '/agencies', token, { jurisdiction, name: '测试急救中心', kind: '120' });
  const station = async (name, agency, where) =>
    api(url, 'POST', '/stations', token, { jurisdiction, name, agency_id: agency.id, location: where });
  const near = await station('近站', fire, await at(0.05, 0.04));
  const far = await station('远站', fire, await at(-0.3, -0.25));
  const hospital = await station('急救站', ems, await at(-0.08, 0.1));
  const units = {};
  const unit = async (call_sign, type, agency, st, capabilities) => {
    units[call_sign] = await api(url, 'POST', '/units', token, {
      jurisdiction, call_sign, type, agency_id: agency.id, station_id: st.id, capabilities, crew: 4,
    });
  };
  await unit('近站水罐1', 'engine', fire, near, ['breathing_apparatus', 'foam']);
  await unit('近站水罐2', 'engine', fire, near, ['breathing_apparatus']);
  await unit('远站水罐1', 'engine', fire, far, ['breathing_apparatus', 'foam']);
  await unit('近站登高1', 'ladder', fire, near, ['aerial_32m']);
  await unit('急救1', 'ambulance', ems, hospital, ['als']);
  await unit('急救2', 'ambulance', ems, far, ['bls']);
  const key = (await api(url, 'POST', '/keys', token, { name: 'avl', role: 'sensor_gateway', jurisdiction })).key;
  await api(url, 'DELETE', '/session', token);
  // Outside the network's box: farther than 1 km from every road.
  const offRoad = { lon: e + (e - w) * 0.2 + 0.02, lat: mid.lat };
  return { units, incident, offRoad, stations: { near, far, hospital }, key };
}

/** The plan of the plans scenario: a fire plan whose level IV (an unhurt fire's proposed grade) gives
 * two tasks, the second waiting for the first, a notification and a report due. */
export const PLAN_YAML = `# 浏览器测试用火灾预案
key: browser_fire
title: 测试火灾预案
owner: "119"
scope:
  types: [fire]
levels:
  III:
    when: {grades: [III]}
    lead: "119"
    command_post: 支队现场指挥部
    tasks:
      recon: {owner: "119", description: 火情侦察并报告, deadline: 20m, role: incident_commander}
  IV:
    when: {grades: [IV]}
    lead: "119"
    command_post: 大队现场指挥部
    participants:
      "119": [灭火救援]
      "110": [现场警戒]
    forces:
      - {type: engine, count: 2}
    tasks:
      recon: {owner: "119", description: 火情侦察并报告, deadline: 30m, role: incident_commander}
      evacuate: {owner: "110", description: 疏散周边群众, deadline: 45m, after: [recon]}
    notifications:
      - {role: supervisor, channel: console}
    reports:
      - {type: initial, to: city, within: 1h}
`;

/**
 * The plan of PLAN_YAML, in force: written and submitted by the supervisor (plan.edit), reviewed and
 * approved by a second supervisor the administrator adds (a version's author may not review or
 * approve it). Returns the plan's id and the second supervisor's name.
 */
export async function seedPlan(url, jurisdiction, adminPassword, accounts) {
  const admin = await signInApi(url, 'admin', adminPassword);
  const approver = 'plan_approver';
  await api(url, 'POST', '/people', admin, {
    name: approver,
    display_name: '预案审批人 (test)',
    jurisdiction,
    roles: [{ role: 'supervisor', jurisdiction, subordinates: true, agency_only: false }],
    password: accounts.password,
  });
  await api(url, 'DELETE', '/session', admin);
  const author = await signInApi(url, accounts.names.supervisor, accounts.password);
  const plan = await api(url, 'POST', '/plans', author, { source: PLAN_YAML, name: 'browser_fire.yaml' });
  await api(url, 'POST', `/plans/${plan.id}/versions/1/status`, author, { to: 'submitted' });
  await api(url, 'DELETE', '/session', author);
  const second = await signInApi(url, approver, accounts.password);
  await api(url, 'POST', `/plans/${plan.id}/versions/1/status`, second, { to: 'reviewed' });
  const approved = await api(url, 'POST', `/plans/${plan.id}/versions/1/status`, second, { to: 'approved' });
  await api(url, 'DELETE', '/session', second);
  if (approved.effective_version !== 1) throw new Error(`plan not in force: ${JSON.stringify(approved)}`);
  return { planId: plan.id, approver };
}

/** The monitoring scenario's river (the e2e test's, tests/e2e/monitoring_test.cpp, in 4412xx):
 * r1 10 km at 0.5 m/s in 441201 → r2 18 km at 1 m/s in 441202 → r3 9 km at 0.5 m/s in 441203;
 * section s-up 2 km down r1, s-mid 9 km down r2, an intake 1 km down r3. */
export const MONITORING_RIVER = (() => {
  const reach = (id, length_m, velocity_mps, jurisdiction, downstream, lon0) => ({
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: [[lon0, 23.0], [lon0 + 0.09, 23.0]] },
    properties: { kind: 'reach', id, name: id, river: '测试河', length_m, velocity_mps, area_m2: 300, jurisdiction, ...(downstream ? { downstream } : {}) },
  });
  const site = (kind, id, reach_, offset_m, lon) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lon, 23.0] },
    properties: { kind, id, name: id, reach: reach_, offset_m },
  });
  return {
    type: 'FeatureCollection',
    features: [
      reach('r1', 10000, 0.5, '441201', 'r2', 112.3), reach('r2', 18000, 1.0, '441202', 'r3', 112.4),
      reach('r3', 9000, 0.5, '441203', null, 112.6), site('section', 's-up', 'r1', 2000, 112.32),
      site('section', 's-mid', 'r2', 9000, 112.45), site('intake', 'intake', 'r3', 1000, 112.61),
    ],
  };
})();

/**
 * The monitoring scenario's seed: a sensor_gateway key (the administrator), the river and a
 * water-quality station measuring cadmium on section s-up, a fence around the intake and a tracked
 * truck (the monitoring analyst) with one fix outside the fence (the gateway), and three
 * readings under the class III limit (0.005 mg/L) sent by the gateway in the last three hours.
 * Returns the station's id, the key, the truck's id, the lines of two readings over the limit to
 * send later, and a line of one more reading under it (five minutes ago).
 */
export async function seedMonitoring(url, jurisdiction, password, names) {
  const admin = await signInApi(url, 'admin', password);
  const gatewayKey = (await api(url, 'POST', '/keys', admin, { name: 'sensors', role: 'sensor_gateway', jurisdiction })).key;
  await api(url, 'DELETE', '/session', admin);
  const analyst = await signInApi(url, names.monitoring_analyst, password);
  await api(url, 'POST', '/river', analyst, MONITORING_RIVER);
  const station = await api(url, 'POST', '/monitoring/stations', analyst, {
    jurisdiction,
    name: '测试河上游断面',
    kind: 'water_quality',
    location: { lon: 112.32, lat: 23.0 },
    target_class: 3,
    river_site: 's-up',
    parameters: [{ code: 'cadmium', unit: 'mg/L' }],
  });
  // A protected water source around the intake, and a hazardous-goods truck outside it with a fix.
  await api(url, 'POST', '/fences', analyst, {
    jurisdiction,
    name: '取水口保护区',
    kind: 'water_source_protection',
    area: { type: 'Polygon', coordinates: [[[112.6, 22.99], [112.62, 22.99], [112.62, 23.01], [112.6, 23.01], [112.6, 22.99]]] },
    rules: { enter: true },
    warning_level: 'orange',
  });
  const truck = await api(url, 'POST', '/objects', analyst, { jurisdiction, kind: 'hazmat_vehicle', name: '粤H·12345' });
  await api(url, 'DELETE', '/session', analyst);
  const now = Date.now();
  const fix = await fetch(`${url}/api/v1/positions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${gatewayKey}` },
    body: JSON.stringify([{ object_id: truck.id, time: new Date(now - 60000).toISOString(), lon: 112.5, lat: 23.03, speed_kmh: 40 }]),
  });
  if (fix.status >= 300) throw new Error(`the truck's fix: ${fix.status} ${await fix.text()}`);
  const at = (minutesAgo) => new Date(Math.floor((now - minutesAgo * 60000) / 1000) * 1000).toISOString();
  const lines = (rows) => rows.map(([ago, v]) => `${station.id} cadmium ${at(ago)} ${v}`).join('\n') + '\n';
  const res = await fetch(`${url}/api/v1/readings/lines`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${gatewayKey}` },
    body: lines([[180, 0.002], [120, 0.003], [60, 0.0025]]),
  });
  const answer = await res.json();
  if (res.status !== 200 || answer.accepted !== 3) throw new Error(`readings under the limit: ${res.status} ${JSON.stringify(answer)}`);
  return { stationId: station.id, gatewayKey, objectId: truck.id, overLines: lines([[20, 0.012], [10, 0.015]]), laterLine: lines([[5, 0.004]]) };
}
