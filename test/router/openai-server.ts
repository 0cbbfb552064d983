// A local HTTP server that speaks the OpenAI wire format for /v1/embeddings and
// /v1/chat/completions, so the router's OpenAI-compatible paths are tested without any
// network. Embeddings come from a small deterministic function; chat answers are scripted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HashingEmbedder } from '@praxis/router';

export interface FakeOpenAI {
  baseURL: string;
  embeddingRequests: { model: string; input: string[]; dimensions?: number }[];
  chatRequests: { model: string; messages: { role: string; content: string }[]; response_format?: unknown }[];
  /** Sets what the chat endpoint answers, in order (the last one repeats). */
  script(answers: string[]): void;
  close(): Promise<void>;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const model = new HashingEmbedder(64);
  const state = { embeddingRequests: [] as FakeOpenAI['embeddingRequests'], chatRequests: [] as FakeOpenAI['chatRequests'], chatAnswers: ['{}'] };
  let answered = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}');
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method === 'POST' && req.url === '/v1/embeddings') {
        const input: string[] = Array.isArray(body.input) ? body.input : [body.input];
        state.embeddingRequests.push({ model: body.model, input, dimensions: body.dimensions });
        const data = input.map((text, index) => ({ object: 'embedding', index, embedding: Array.from(model.embedOne(text)).map((x) => x * 3) }));
        return send(200, { object: 'list', data, model: body.model, usage: { prompt_tokens: input.length, total_tokens: input.length } });
      }
      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        state.chatRequests.push(body);
        const content = state.chatAnswers[Math.min(answered++, state.chatAnswers.length - 1)]!;
        return send(200, {
          id: `chatcmpl-${answered}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        });
      }
      send(404, { error: { message: `no route ${req.method} ${req.url}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    embeddingRequests: state.embeddingRequests,
    chatRequests: state.chatRequests,
    script(answers) {
      state.chatAnswers = answers;
      answered = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
