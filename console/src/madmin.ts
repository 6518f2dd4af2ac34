// madmin's EncryptData / DecryptData (server/admin/crypto.py has the format): the encrypted
// bodies of MinIO's admin API, with the caller's secret key as the password.
//   salt (32) | id (1) | nonce (8) | DARE fragments of 16 KiB, each AEAD-sealed (16-byte tag)
// We write id 0x02 (PBKDF2-HMAC-SHA256, 8192 rounds + AES-256-GCM: all in Web Crypto, about a
// millisecond) and read 0x00 (Argon2id, 64 MiB, through hash-wasm's WebAssembly) and 0x02.
// 0x01 (ChaCha20-Poly1305) is not in Web Crypto; Cairn never answers with it.
import { argon2id } from "hash-wasm";

const SALT = 32;
const NONCE = 8;
const HEADER = SALT + 1 + NONCE;
const FRAGMENT = 1 << 14;
const TAG = 16;
const SEALED = FRAGMENT + TAG;

async function deriveKey(id: number, password: string, salt: Uint8Array): Promise<CryptoKey> {
  let raw: Uint8Array;
  if (id === 2) {
    const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
    const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations: 8192 }, base, 256);
    raw = new Uint8Array(bits);
  } else if (id === 0) {
    raw = await argon2id({ password, salt, parallelism: 4, iterations: 1, memorySize: 64 * 1024, hashLength: 32, outputType: "binary" });
  } else {
    throw new Error(`encrypted answer: algorithm id ${id} is not supported in the browser`);
  }
  return crypto.subtle.importKey("raw", raw as BufferSource, "AES-GCM", false, ["encrypt", "decrypt"]);
}

function nonceFor(nonce: Uint8Array, sequence: number): Uint8Array {
  const out = new Uint8Array(12);
  out.set(nonce);
  new DataView(out.buffer).setUint32(8, sequence, true);
  return out;
}

async function seal(key: CryptoKey, nonce: Uint8Array, seq: number, data: Uint8Array, ad: Uint8Array): Promise<Uint8Array> {
  const params = { name: "AES-GCM", iv: nonceFor(nonce, seq) as BufferSource, additionalData: ad as BufferSource };
  return new Uint8Array(await crypto.subtle.encrypt(params, key, data as BufferSource));
}

async function associated(key: CryptoKey, nonce: Uint8Array): Promise<[Uint8Array, Uint8Array]> {
  const tag = await seal(key, nonce, 0, new Uint8Array(0), new Uint8Array(0));
  const notFinal = new Uint8Array(1 + TAG);
  notFinal.set(tag, 1);
  const final = notFinal.slice();
  final[0] = 0x80;
  return [notFinal, final];
}

export async function encryptData(password: string, plain: Uint8Array): Promise<Uint8Array> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT));
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE));
  const key = await deriveKey(2, password, salt);
  const [notFinal, final] = await associated(key, nonce);
  const last = Math.max(0, Math.floor((plain.length - 1) / FRAGMENT));
  const parts: Uint8Array[] = [salt, new Uint8Array([2]), nonce];
  for (let i = 0; i <= last; i++) {
    const piece = plain.subarray(i * FRAGMENT, i < last ? (i + 1) * FRAGMENT : plain.length);
    parts.push(await seal(key, nonce, i + 1, piece, i < last ? notFinal : final));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function decryptData(password: string, data: Uint8Array): Promise<Uint8Array> {
  if (data.length < HEADER + TAG) throw new Error("encrypted answer: truncated");
  const salt = data.subarray(0, SALT);
  const nonce = data.subarray(SALT + 1, HEADER);
  const body = data.subarray(HEADER);
  const key = await deriveKey(data[SALT], password, salt);
  const [notFinal, final] = await associated(key, nonce);
  const last = Math.max(0, Math.floor((body.length - 1) / SEALED));
  const parts: Uint8Array[] = [];
  for (let i = 0; i <= last; i++) {
    const piece = body.subarray(i * SEALED, i < last ? (i + 1) * SEALED : body.length);
    const params = { name: "AES-GCM", iv: nonceFor(nonce, i + 1) as BufferSource, additionalData: (i < last ? notFinal : final) as BufferSource };
    parts.push(new Uint8Array(await crypto.subtle.decrypt(params, key, piece as BufferSource)));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
