// chain-sdk reference for the provider API credentials: JWT (JwtTokenManager, JwtValidator) and mTLS certificates (CertificateManager).
// stdin:  {"mnemonic", "claims": {iss, iat, nbf, exp, version, leases}, "ourToken", "ourCertPem", "generateFor"}
// stdout: {"es256k": token, "adr36": token, "ourTokenSchemaValid", "ourTokenSchemaErrors", "ourTokenSignatureValid",
//          "ourCert": {hSerial, sIssuer, sSubject, sNotBefore, sNotAfter}, "generated": {cert, publicKey, privateKey}}
// The mnemonic arrives on stdin only and is never echoed; the generated private key is a throwaway test key.
const path = require("path");
const { createRequire } = require("module");
const nm = process.env.AKASH_REF_NODE_MODULES;
if (!nm) { console.error("AKASH_REF_NODE_MODULES is not set"); process.exit(2); }
const req = createRequire(path.join(nm, "noop.js"));
const { JwtTokenManager, JwtValidator, CertificateManager } = req("@akashnetwork/chain-sdk");
const { Bip39, EnglishMnemonic, Slip10, Slip10Curve, Secp256k1, Secp256k1Signature, sha256, stringToPath } = req("@cosmjs/crypto");
const { Secp256k1HdWallet } = req("@cosmjs/amino");
const { toBase64 } = req("@cosmjs/encoding");

async function main() {
  const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const out = {};
  if (input.mnemonic) {
    const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(input.mnemonic));
    const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath("m/44'/118'/0'/0/0"));
    const keypair = await Secp256k1.makeKeypair(privkey);
    const pubkey = Secp256k1.compressPubkey(keypair.pubkey);
    // ES256K as chain-sdk's Go signer does it: secp256k1 over sha256(signing input), 64-byte r||s.
    const es256kSigner = {
      algorithm: "ES256K",
      async signArbitrary(_address, data) {
        const sig = await Secp256k1.createSignature(sha256(new TextEncoder().encode(data)), keypair.privkey);
        return { signature: toBase64(new Uint8Array([...sig.r(32), ...sig.s(32)])) };
      },
    };
    out.es256k = await new JwtTokenManager(es256kSigner).generateToken(input.claims);
    // The TS SDK's default with an amino wallet: ES256KADR36 (signArbitrary wrapped in an ADR-36 sign doc).
    const amino = await Secp256k1HdWallet.fromMnemonic(input.mnemonic, { prefix: "akash" });
    out.adr36 = await new JwtTokenManager(amino).generateToken(input.claims);
    if (input.ourToken) {
      const v = new JwtValidator().validateToken(input.ourToken);
      out.ourTokenSchemaValid = v.isValid;
      out.ourTokenSchemaErrors = v.errors;
      const [h, p, s] = input.ourToken.split(".");
      const sig = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
      out.ourTokenSignatureValid = sig.length === 64 && await Secp256k1.verifySignature(
        Secp256k1Signature.fromFixedLength(sig), sha256(new TextEncoder().encode(`${h}.${p}`)), pubkey);
    }
  }
  const cm = new CertificateManager();
  if (input.ourCertPem) {
    out.ourCert = await cm.parsePem(input.ourCertPem);
  }
  if (input.generateFor) {
    out.generated = await cm.generatePEM(input.generateFor);
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch((e) => { console.error(e && e.message ? e.message.split("\n")[0] : "error"); process.exit(1); });
