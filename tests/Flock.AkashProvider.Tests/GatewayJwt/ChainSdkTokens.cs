namespace Flock.AkashProvider.Tests;

/// <summary>
/// Tokens made by the reference library through tools/akash-reference/provider-auth.cjs: chain-sdk's JwtTokenManager
/// with an amino wallet (ES256KADR36, the TS default) and with a cosmjs ES256K signer. Neither C# side took part in
/// making them. The library refuses to make expired or not-yet-valid tokens, so times are tested by moving the
/// verifier's clock instead.
/// </summary>
internal static class ChainSdkTokens
{
    public static async Task<(string Es256K, string Adr36)> IssueAsync(string mnemonic, object claims)
    {
        var reference = await NodeReference.RunAsync("provider-auth.cjs", new { mnemonic, claims });
        return (reference.GetProperty("es256k").GetString()!, reference.GetProperty("adr36").GetString()!);
    }
}
