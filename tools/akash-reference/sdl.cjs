// chain-sdk reference for SDLs: schema validation (the package's dist/sdl-schema.yaml through its compiled
// validator), group specs (protobuf bytes), sorted manifest JSON and manifest version hash.
// stdin:  ["<sdl yaml>", ...]
// stdout: [{"errors": [...]} | {"groupSpecsHex": [...], "manifestJson", "versionHex"}]
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");
const nm = process.env.AKASH_REF_NODE_MODULES;
if (!nm) { console.error("AKASH_REF_NODE_MODULES is not set"); process.exit(2); }
const req = createRequire(path.join(nm, "noop.js"));
const sdk = req("@akashnetwork/chain-sdk");
const { GroupSpec } = req("@akashnetwork/chain-sdk/private-types/akash.v1beta4");
const yaml = req("js-yaml");

// The schema the package ships; checked to be the one its validator was compiled from.
const schemaFile = path.join(path.dirname(req.resolve("@akashnetwork/chain-sdk")), "..", "sdl-schema.yaml");
const schemaShipped = JSON.stringify(yaml.load(fs.readFileSync(schemaFile, "utf8"))) === JSON.stringify(sdk.validationSDLSchema);

async function one(text) {
  const input = yaml.load(text);
  const errors = sdk.validateSDL(input);
  if (errors) return { errors: errors.map((e) => `${e.instancePath}: ${e.message}`) };
  const result = sdk.generateManifest(input);
  if (!result.ok) return { errors: result.value.map((e) => `${e.instancePath}: ${e.message}`) };
  const groups = result.value.groups;
  return {
    groupSpecsHex: result.value.groupSpecs.map((g) => Buffer.from(GroupSpec.encode(g).finish()).toString("hex")),
    manifestJson: sdk.manifestToSortedJSON(groups),
    versionHex: Buffer.from(await sdk.generateManifestVersion(groups)).toString("hex"),
  };
}

async function main() {
  const inputs = JSON.parse(fs.readFileSync(0, "utf8"));
  const out = [];
  for (const text of inputs) {
    try { out.push(await one(text)); } catch (e) { out.push({ errors: [String(e && e.message || e)] }); }
  }
  process.stdout.write(JSON.stringify({ schemaShipped, schemaFile, results: out }));
}
main().catch((e) => { console.error(e && e.message ? e.message.split("\n")[0] : "error"); process.exit(1); });
