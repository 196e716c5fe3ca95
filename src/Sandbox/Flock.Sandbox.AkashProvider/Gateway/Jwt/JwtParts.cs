using System.Text.Json;

namespace Flock.Sandbox.AkashProvider.Gateway.Jwt;

/// <summary>
/// A token taken apart without trusting it, in golang-jwt v5's order (parser.go ParseUnverified, then the method
/// check of ParseWithClaims): three segments, header JSON, claims JSON, header "alg" a string, alg one of the
/// provider's methods (gateway/utils/utils.go: jwt.WithValidMethods ES256K, ES256KADR36), signature base64url.
/// Every failure here is answered 401 "JWT is invalid" whatever its kind, so only the reason differs.
/// </summary>
/// <param name="SigningInput">"header.payload" as sent: what the signature covers (ES256K) or wraps (ES256KADR36).</param>
internal sealed record JwtParts(string Algorithm, AuthClaims Claims, string SigningInput, byte[] Signature)
{
    public const string Es256K = "ES256K";
    public const string Es256KAdr36 = "ES256KADR36";

    public static (JwtParts? Parts, string? Problem) Parse(string token)
    {
        var segments = token.Split('.');
        if (segments.Length != 3)
        {
            return (null, "token contains an invalid number of segments");
        }

        if (!RawUrlBase64.TryDecode(segments[0], out var headerBytes))
        {
            return (null, "could not base64 decode header");
        }

        string? alg;
        try
        {
            alg = HeaderAlgorithm(headerBytes);
        }
        catch (JsonException)
        {
            return (null, "could not JSON decode header");
        }

        if (!RawUrlBase64.TryDecode(segments[1], out var claimBytes))
        {
            return (null, "could not base64 decode claim");
        }

        AuthClaims claims;
        try
        {
            claims = JwtClaimsReader.Read(claimBytes);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return (null, "could not JSON decode claim: " + e.Message);
        }

        if (alg is null)
        {
            return (null, "signing method (alg) is unspecified");
        }

        // golang-jwt first looks alg up among registered methods ("unavailable" when unknown), then refuses one outside
        // the valid list ("invalid", e.g. none or HS256); both end as 401, so one test covers both.
        if (alg is not (Es256K or Es256KAdr36))
        {
            return (null, $"signing method {alg} is invalid");
        }

        if (!RawUrlBase64.TryDecode(segments[2], out var signature))
        {
            return (null, "could not base64 decode signature");
        }

        return (new JwtParts(alg, claims, segments[0] + "." + segments[1], signature), null);
    }

    /// <summary>The header is decoded into a Go map: an object (or null) whose "alg" must be a string to count.</summary>
    private static string? HeaderAlgorithm(byte[] header)
    {
        using var document = JsonDocument.Parse(header, GoJsonFields.Options);
        var root = document.RootElement;
        return root.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Object => root.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null,
            _ => throw new JsonException("the header is not a JSON object"),
        };
    }
}
