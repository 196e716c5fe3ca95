using System.Text;
using Flock.Akash.Crypto;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// Hand-made tokens for cases no well-behaved token maker produces (odd headers, odd JSON, foreign algorithms, swapped
/// signatures). ES256K signatures come from the operator's wallet, which only plays the client here: whether the
/// simulator accepts them is what the tests judge.
/// </summary>
internal static class TokenForge
{
    public const string Es256KHeader = """{"alg":"ES256K","typ":"JWT"}""";

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Unb64(string segment) =>
        Convert.FromBase64String(segment.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (segment.Length % 4)) % 4));

    /// <summary>The claims JSON of a v1 token; <paramref name="extra"/> is appended inside the object (start it with a comma).</summary>
    public static string Claims(string iss, long iat, long nbf, long exp, string leases = """{"access":"full"}""", string extra = "") =>
        $$"""{"iss":"{{iss}}","iat":{{iat}},"nbf":{{nbf}},"exp":{{exp}},"version":"v1","leases":{{leases}}{{extra}}}""";

    /// <summary>secp256k1 over SHA-256 of "header.payload" by <paramref name="signer"/>, whatever the header says.</summary>
    public static string Es256K(Wallet signer, string payloadJson, string headerJson = Es256KHeader)
    {
        var input = B64(headerJson) + "." + B64(payloadJson);
        return input + "." + B64(signer.Sign(Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>The token with another payload and the old signature: what a forger sends.</summary>
    public static string WithPayload(string token, Func<string, string> edit)
    {
        var parts = token.Split('.');
        return $"{parts[0]}.{B64(edit(Encoding.UTF8.GetString(Unb64(parts[1]))))}.{parts[2]}";
    }

    public static string WithSignature(string token, byte[] signature)
    {
        var parts = token.Split('.');
        return $"{parts[0]}.{parts[1]}.{B64(signature)}";
    }

    public static string Payload(string token) => Encoding.UTF8.GetString(Unb64(token.Split('.')[1]));
}

/// <summary>A provider clock stopped at one instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
