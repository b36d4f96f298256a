// A stub of an OpenAI-compatible chat-completions endpoint on loopback, for the LLM steps of
// the journey. The model name picks the behaviour, so one server covers every case:
//   good      a strict JSON answer (fraud: not fraud, 0.93; suggestions: two catalog titles
//             and one unknown title; anything else: {"ok": true})
//   fraud     a confident fraud verdict (0.97)
//   malformed prose around the JSON
//   slow      a good answer, a minute late (the page gives up first)
//   error     HTTP 500
// It answers CORS preflights (the page sends JSON with an Authorization header) and records
// every request it got, headers included, so a test can check what the page sent.
import http from 'node:http';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Max-Age': '600',
};

function completion(model, content) {
  return JSON.stringify({
    id: 'chatcmpl-stub', object: 'chat.completion', created: 0, model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
}

function goodContent(system, user) {
  if (system.includes('fraud-detection')) {
    return JSON.stringify({ fraud: false, confidence: 0.93, reasons: ['stub: a usual customer'] });
  }
  if (system.includes('book-recommendation')) {
    const allowed = user.allowed_titles || [];
    return JSON.stringify({ suggestions: [allowed[0], 'A Book Not In Any Catalog', allowed[1]] });
  }
  return JSON.stringify({ ok: true });
}

function answer(model, system, user) {
  switch (model) {
    case 'fraud':
      return system.includes('fraud-detection')
        ? JSON.stringify({ fraud: true, confidence: 0.97, reasons: ['stub: card testing pattern'] })
        : goodContent(system, user);
    case 'malformed':
      return 'Sure! Here is my answer: ' + goodContent(system, user);
    default:
      return goodContent(system, user);
  }
}

/** Starts the stub on a free loopback port: { url (the API base), requests, close() }. */
export async function startLlmStub() {
  const requests = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') { res.writeHead(204, CORS); res.end(); return; }
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
      res.writeHead(404, CORS); res.end('not found'); return;
    }
    let text = '';
    req.on('data', (chunk) => { text += chunk; });
    req.on('end', () => {
      let body;
      try { body = JSON.parse(text); } catch { res.writeHead(400, CORS); res.end('not JSON'); return; }
      const system = body.messages?.[0]?.content ?? '';
      let user = {};
      try { user = JSON.parse(body.messages?.[1]?.content ?? '{}'); } catch { /* free text */ }
      requests.push({ model: body.model, authorization: req.headers.authorization ?? '', system, body });
      const headers = { ...CORS, 'Content-Type': 'application/json' };
      if (body.model === 'error') {
        res.writeHead(500, headers); res.end('{"error": {"message": "stub: internal error"}}'); return;
      }
      const reply = completion(body.model, answer(body.model, system, user));
      if (body.model === 'slow') {
        const timer = setTimeout(() => { res.writeHead(200, headers); res.end(reply); }, 60000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      res.writeHead(200, headers); res.end(reply);
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/v1`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
