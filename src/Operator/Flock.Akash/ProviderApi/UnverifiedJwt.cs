using System.Text;
using Flock.Akash.Crypto;

namespace Flock.Akash.ProviderApi;

/// <summary>Why a provider refuses a token (golang-jwt error classes the provider's gateway maps to HTTP).</summary>
public enum JwtFailure
{
    /// <summary>Not three base64url segments of JSON (ErrTokenMalformed → 401 "JWT is invalid").</summary>
    Malformed,

    /// <summary>No key for the issuer: bad address, unknown account, or one that never signed (ErrTokenUnverifiable → 401).</summary>
    Unverifiable,

    /// <summary>Wrong algorithm or signature (ErrTokenSignatureInvalid → 401 "JWT is invalid").</summary>
    SignatureInvalid,

    /// <summary>Expired, not yet valid, or claims the schema forbids (ErrTokenInvalidClaims → 400 "JWT has invalid claims").</summary>
    InvalidClaims,
}

/// <summary>A refused token. The message names the rule; it never contains the token.</summary>
public sealed class JwtException : Exception
{
    public JwtException(JwtFailure failure, string message)
        : base(message) => Failure = failure;

    public JwtException()
        : this(JwtFailure.Malformed, "token is malformed")
    {
    }

    public JwtException(string message)
        : this(JwtFailure.Malformed, message)
    {
    }

    public JwtException(string message, Exception innerException)
        : base(message, innerException) => Failure = JwtFailure.Malformed;

    public JwtFailure Failure { get; }
}

/// <summary>
/// A decoded token whose signature is not checked yet: the verifier reads <see cref="Claims"/>.Issuer, looks up
/// that account's public key on chain, then calls <see cref="Verify"/>.
/// </summary>
public sealed class UnverifiedJwt
{
    private readonly string _signingInput;
    private readonly byte[] _signature;

    internal UnverifiedJwt(string algorithm, JwtClaims claims, string signingInput, byte[] signature)
    {
        Algorithm = algorithm;
        Claims = claims;
        _signingInput = signingInput;
        _signature = signature;
    }

    /// <summary>"ES256K" or "ES256KADR36".</summary>
    public string Algorithm { get; }

    /// <summary>The claims as sent (untrusted until <see cref="Verify"/> returns).</summary>
    public JwtClaims Claims { get; }

    /// <summary>
    /// Checks the signature against the issuer's 33-byte compressed secp256k1 key, then the claims (times at
    /// <paramref name="now"/>, then the schema rules) in golang-jwt's order. Returns the claims or throws <see cref="JwtException"/>.
    /// </summary>
    public JwtClaims Verify(ReadOnlySpan<byte> issuerPublicKey, DateTimeOffset now)
    {
        var signed = Algorithm == ProviderJwt.Es256KAdr36
            ? Adr36SignBytes(Claims.Issuer, _signingInput)
            : Encoding.ASCII.GetBytes(_signingInput);
        if (!Wallet.VerifyWith(issuerPublicKey, signed, _signature))
        {
            throw new JwtException(JwtFailure.SignatureInvalid, "token signature is invalid");
        }

        if (Claims.CheckTime(now) is { } timeProblem)
        {
            throw new JwtException(JwtFailure.InvalidClaims, timeProblem);
        }

        if (Claims.Validate() is { } problem)
        {
            throw new JwtException(JwtFailure.InvalidClaims, "jwt: validation error: " + problem);
        }

        return Claims;
    }

    /// <summary>
    /// ADR-36 off-chain sign bytes (chain-sdk go/util/jwt/es256kadr36.go, cosmjs makeADR36AminoSignDoc): the amino
    /// JSON StdSignDoc of one MsgSignData with empty chain id, zero account/sequence/fee; keys sorted.
    /// </summary>
    internal static byte[] Adr36SignBytes(string signer, string data)
    {
        var doc = "{\"account_number\":\"0\",\"chain_id\":\"\",\"fee\":{\"amount\":[],\"gas\":\"0\"},\"memo\":\"\",\"msgs\":[{\"type\":\"sign/MsgSignData\",\"value\":{\"data\":\""
            + Convert.ToBase64String(Encoding.UTF8.GetBytes(data)) + "\",\"signer\":\"" + signer + "\"}}],\"sequence\":\"0\"}";
        return Encoding.UTF8.GetBytes(doc);
    }

    /// <summary>Shows the algorithm and issuer only.</summary>
    public override string ToString() => $"UnverifiedJwt({Algorithm}, {Claims.Issuer})";
}
