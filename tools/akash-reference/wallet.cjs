// cosmjs reference for wallets and SIGN_MODE_DIRECT.
// stdin:  {"mnemonics": [...], "signDocs": [{"wallet": i, "bodyHex", "authInfoHex", "chainId", "accountNumber"}]}
// stdout: {"wallets": [{"address", "pubkeyHex"}], "signatures": [{"signDocHex", "signatureHex"}]}
const path = require("path");
const { createRequire } = require("module");
const nm = process.env.AKASH_REF_NODE_MODULES;
if (!nm) { console.error("AKASH_REF_NODE_MODULES is not set"); process.exit(2); }
const req = createRequire(path.join(nm, "noop.js"));
const { DirectSecp256k1HdWallet, makeSignDoc, makeSignBytes } = req("@cosmjs/proto-signing");

async function main() {
  const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const wallets = [];
  const accounts = [];
  for (const m of input.mnemonics) {
    const w = await DirectSecp256k1HdWallet.fromMnemonic(m, { prefix: "akash" });
    const [a] = await w.getAccounts();
    wallets.push(w);
    accounts.push(a);
  }
  const signatures = [];
  for (const d of input.signDocs || []) {
    const doc = makeSignDoc(Buffer.from(d.bodyHex, "hex"), Buffer.from(d.authInfoHex, "hex"), d.chainId, BigInt(d.accountNumber));
    const res = await wallets[d.wallet].signDirect(accounts[d.wallet].address, doc);
    signatures.push({
      signDocHex: Buffer.from(makeSignBytes(doc)).toString("hex"),
      signatureHex: Buffer.from(res.signature.signature, "base64").toString("hex"),
    });
  }
  process.stdout.write(JSON.stringify({
    wallets: accounts.map((a) => ({ address: a.address, pubkeyHex: Buffer.from(a.pubkey).toString("hex") })),
    signatures,
  }));
}
main().catch((e) => { console.error(e && e.message ? e.message.split("\n")[0] : "error"); process.exit(1); });
