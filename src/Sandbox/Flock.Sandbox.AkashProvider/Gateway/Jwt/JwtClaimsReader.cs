using System.Globalization;
using System.Text.Json;
using static Flock.Sandbox.AkashProvider.Gateway.Jwt.GoJsonFields;

namespace Flock.Sandbox.AkashProvider.Gateway.Jwt;

/// <summary>
/// Reads a token's payload the way the provider's Go code does before anything is verified: json.Unmarshal into
/// chain-sdk's Claims (go/util/jwt/jwt.go), which embeds golang-jwt's RegisteredClaims (registered_claims.go, types.go).
/// Unknown members are ignored, types are strict; <see cref="FormatException"/> or <see cref="JsonException"/> means the
/// provider could not decode the claims (ErrTokenMalformed, 401). Rules on values come later (<see cref="ClaimsRules"/>).
/// </summary>
internal static class JwtClaimsReader
{
    public static AuthClaims Read(ReadOnlySpan<byte> payload)
    {
        using var document = JsonDocument.Parse(payload.ToArray(), Options);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the claims are not a JSON object");
        }

        var issuer = String(root, "iss") ?? string.Empty;
        _ = String(root, "sub"); // RegisteredClaims.Subject: unused, but a non-string still fails the decode.
        return new AuthClaims(
            issuer,
            AkashAddress.Canonical(issuer) ?? string.Empty,
            NumericDate(root, "iat"),
            NumericDate(root, "nbf"),
            NumericDate(root, "exp"),
            String(root, "version") ?? string.Empty,
            Leases(root),
            Audience(root),
            String(root, "jti"));
    }

    /// <summary>
    /// golang-jwt NumericDate: a JSON number, or a string holding a number literal (json.Number accepts both), read as
    /// float64 and truncated to whole seconds. Null or absent is a missing claim.
    /// </summary>
    private static long? NumericDate(JsonElement obj, string name)
    {
        var v = Field(obj, name);
        if (v is null || v.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var literal = v.Value.ValueKind switch
        {
            JsonValueKind.Number => v.Value.GetRawText(),
            JsonValueKind.String when IsNumberLiteral(v.Value.GetString()!) => v.Value.GetString()!,
            _ => throw new FormatException($"{name} is not a NumericDate"),
        };
        var seconds = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(seconds))
        {
            throw new FormatException($"{name} is out of float64 range"); // strconv.ParseFloat's ErrRange
        }

        // time.Unix(int64(whole), …).Truncate(time.Second) is the floor. Go's float→int64 conversion of a value
        // out of range gives the minimum int64 on amd64: a date far in the past.
        var floor = Math.Floor(seconds);
        return floor is >= -9.2233720368547758E18 and < 9.2233720368547758E18 ? (long)floor : long.MinValue;
    }

    /// <summary>ClaimStrings: a string, a list of strings, or null; anything else is ErrInvalidType.</summary>
    private static List<string>? Audience(JsonElement obj) => Field(obj, "aud") switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } v => [v.GetString()!],
        { ValueKind: JsonValueKind.Array } v => v.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String
            ? i.GetString()! : throw new FormatException("aud holds a non-string")).ToList(),
        _ => throw new FormatException("aud is neither a string nor a list"),
    };

    /// <summary>The Leases struct: absent or null leaves it empty (access ""), which the rules then refuse.</summary>
    private static AuthLeases Leases(JsonElement obj)
    {
        var v = Field(obj, "leases");
        if (v is null || v.Value.ValueKind == JsonValueKind.Null)
        {
            return new AuthLeases(string.Empty);
        }

        var leases = Struct(v.Value, "leases");
        return new AuthLeases(String(leases, "access") ?? string.Empty, Strings(leases, "scope"), Array(leases, "permissions")?.Select(Permission).ToList());
    }

    private static AuthPermission Permission(JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.Null)
        {
            return new AuthPermission(string.Empty, string.Empty); // a null item is the zero struct
        }

        var p = Struct(item, "permission");
        return new AuthPermission(Provider(p), String(p, "access") ?? string.Empty, Strings(p, "scope"), Array(p, "deployments")?.Select(Deployment).ToList());
    }

    /// <summary>
    /// sdk.AccAddress.UnmarshalJSON: "" (or null) is an empty address, left for the rules to refuse; any other text
    /// must be a valid akash address or the whole token fails to decode.
    /// </summary>
    private static string Provider(JsonElement p)
    {
        var text = String(p, "provider");
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return AkashAddress.Canonical(text) ?? throw new FormatException("provider is not an akash address");
    }

    private static AuthDeploymentPermission Deployment(JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.Null)
        {
            return new AuthDeploymentPermission(0, 0, 0, null, null);
        }

        var d = Struct(item, "deployment");
        return new AuthDeploymentPermission(
            Unsigned(d, "dseq", ulong.MaxValue),
            (uint)Unsigned(d, "gseq", uint.MaxValue),
            (uint)Unsigned(d, "oseq", uint.MaxValue),
            Strings(d, "scope"),
            Strings(d, "services"));
    }

    private static JsonElement Struct(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new FormatException($"{name} is not an object");
}
