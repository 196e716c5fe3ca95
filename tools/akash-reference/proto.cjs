// chain-sdk's generated protobuf codecs as a second opinion on our .proto files.
// stdin:  [{"type": "<full proto name>", "hex": "<our encoding>"}]
// stdout: [{"known": bool, "reencodedHex", "json"}]: decode our bytes with chain-sdk's codec, re-encode them, and
// give its proto3 JSON. Bytes that survive the round trip and JSON with the right field names mean the field
// numbers and types agree (a field the codec does not know is dropped on decode and the round trip differs).
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");
const nm = process.env.AKASH_REF_NODE_MODULES;
if (!nm) { console.error("AKASH_REF_NODE_MODULES is not set"); process.exit(2); }
const req = createRequire(path.join(nm, "noop.js"));
const dir = path.join(path.dirname(req.resolve("@akashnetwork/chain-sdk")), "generated", "protos");
const registry = new Map();
for (const file of fs.readdirSync(dir).filter((f) => /^index\..*\.cjs$/.test(f))) {
  const mod = req(path.join(dir, file));
  for (const value of Object.values(mod)) {
    if (value && typeof value === "object" && typeof value.$type === "string" && typeof value.decode === "function" && !registry.has(value.$type)) {
      registry.set(value.$type, value);
    }
  }
}
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const out = input.map(({ type, hex }) => {
  const codec = registry.get(type);
  if (!codec) return { known: false };
  const decoded = codec.decode(Buffer.from(hex, "hex"));
  const reencoded = Buffer.from(codec.encode(decoded).finish()).toString("hex");
  let json = null;
  try { json = codec.toJSON(decoded); } catch (e) { json = { error: String(e.message || e) }; }
  return { known: true, reencodedHex: reencoded, json };
});
process.stdout.write(JSON.stringify(out));
