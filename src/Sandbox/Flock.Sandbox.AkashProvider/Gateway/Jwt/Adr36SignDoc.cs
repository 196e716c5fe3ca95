using System.Text;

namespace Flock.Sandbox.AkashProvider.Gateway.Jwt;

/// <summary>
/// What an ES256KADR36 signature covers (chain-sdk go/util/jwt/es256kadr36.go → go/node/types/offchain/sign/sign.go
/// StdSignBytes; the TS side builds the same document in ts/src/sdk/provider/auth/jwt/wallet-utils.ts for a wallet's
/// signAmino): the legacy amino JSON sign doc of one "sign/MsgSignData" with empty chain id, account number and
/// sequence "0", an empty fee of gas "0" and no memo; keys sorted at every level, no whitespace. The message's data
/// is the JWT signing input as standard base64; its signer is the issuer as an AccAddress prints it.
/// </summary>
internal static class Adr36SignDoc
{
    public static byte[] Bytes(string signer, string signingInput)
    {
        // Both values are plain ASCII (bech32 and base64), so Go's HTML escaping in json.Marshal never applies.
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(signingInput));
        var doc = new StringBuilder()
            .Append("{\"account_number\":\"0\",\"chain_id\":\"\",\"fee\":{\"amount\":[],\"gas\":\"0\"},\"memo\":\"\",")
            .Append("\"msgs\":[{\"type\":\"sign/MsgSignData\",\"value\":{\"data\":\"").Append(data)
            .Append("\",\"signer\":\"").Append(signer).Append("\"}}],")
            .Append("\"sequence\":\"0\"}")
            .ToString();
        return Encoding.UTF8.GetBytes(doc);
    }
}
