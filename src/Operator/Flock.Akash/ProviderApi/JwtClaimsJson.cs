using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// The claims' JSON. Writing follows specs/jwt-schema.json (optional members omitted); keys are sorted on output by
/// <see cref="Sdl.CanonicalJson"/>, as chain-sdk's JwtTokenManager does with json-stable-stringify. Reading is
/// lenient like Go's encoding/json (unknown members ignored) but strict about types: a wrong type is a malformed token.
/// </summary>
internal static class JwtClaimsJson
{
    public static JsonObject Write(JwtClaims claims)
    {
        var o = new JsonObject
        {
            ["iss"] = claims.Issuer,
            ["iat"] = claims.IssuedAt,
            ["nbf"] = claims.NotBefore,
            ["exp"] = claims.ExpiresAt,
            ["version"] = claims.Version,
            ["leases"] = WriteLeases(claims.Leases),
        };
        if (claims.Id is not null)
        {
            o["jti"] = claims.Id;
        }

        return o;
    }

    /// <summary>Reads claims; throws <see cref="FormatException"/> naming the member that is wrong.</summary>
    public static JwtClaims Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the claims are not a JSON object");
        }

        return new JwtClaims(
            Str(e, "iss") ?? string.Empty,
            Time(e, "iat"),
            Time(e, "nbf"),
            Time(e, "exp"),
            e.TryGetProperty("leases", out var leases) && leases.ValueKind != JsonValueKind.Null ? ReadLeases(leases) : new JwtLeases(string.Empty),
            Str(e, "version") ?? string.Empty,
            Str(e, "jti"));
    }

    private static JsonObject WriteLeases(JwtLeases leases)
    {
        var o = new JsonObject { ["access"] = leases.Access };
        if (leases.Scope is not null)
        {
            o["scope"] = Array(leases.Scope);
        }

        if (leases.Permissions is not null)
        {
            var permissions = new JsonArray();
            foreach (var p in leases.Permissions)
            {
                var po = new JsonObject { ["provider"] = p.Provider, ["access"] = p.Access };
                if (p.Scope is not null)
                {
                    po["scope"] = Array(p.Scope);
                }

                if (p.Deployments is not null)
                {
                    var deployments = new JsonArray();
                    foreach (var d in p.Deployments)
                    {
                        var dobj = new JsonObject { ["dseq"] = d.Dseq, ["scope"] = Array(d.Scope), ["services"] = Array(d.Services) };
                        if (d.Gseq != 0)
                        {
                            dobj["gseq"] = d.Gseq;
                        }

                        if (d.Oseq != 0)
                        {
                            dobj["oseq"] = d.Oseq;
                        }

                        deployments.Add(dobj);
                    }

                    po["deployments"] = deployments;
                }

                permissions.Add(po);
            }

            o["permissions"] = permissions;
        }

        return o;
    }

    private static JwtLeases ReadLeases(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("leases is not an object");
        }

        IReadOnlyList<JwtPermission>? permissions = null;
        if (e.TryGetProperty("permissions", out var pe) && pe.ValueKind != JsonValueKind.Null)
        {
            permissions = Items(pe, "leases.permissions").Select(p => new JwtPermission(
                Str(p, "provider") ?? string.Empty,
                Str(p, "access") ?? string.Empty,
                Strings(p, "scope"),
                p.TryGetProperty("deployments", out var de) && de.ValueKind != JsonValueKind.Null
                    ? Items(de, "deployments").Select(d => new JwtDeploymentPermission(
                        UInt(d, "dseq"), Strings(d, "scope") ?? [], Strings(d, "services") ?? [], (uint)UInt(d, "gseq"), (uint)UInt(d, "oseq"))).ToList()
                    : null)).ToList();
        }

        return new JwtLeases(Str(e, "access") ?? string.Empty, Strings(e, "scope"), permissions);
    }

    private static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    private static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : throw new FormatException($"{name} is not an array");

    private static string? Str(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException($"{name} is not a string");
    }

    private static IReadOnlyList<string>? Strings(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return Items(v, name).Select(i => i.ValueKind == JsonValueKind.String ? i.GetString()! : throw new FormatException($"{name} holds a non-string")).ToList();
    }

    // golang-jwt NumericDate accepts any JSON number (fractions truncated to seconds here).
    private static long Time(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            // Go parses a missing time as nil and Claims.Validate rejects it after the signature check: invalid claims, not a malformed token.
            return JwtClaims.Missing;
        }

        if (v.ValueKind != JsonValueKind.Number || !double.TryParse(v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || double.IsNaN(d))
        {
            throw new FormatException($"{name} is not a number");
        }

        return (long)Math.Truncate(d);
    }

    private static ulong UInt(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n) ? n : throw new FormatException($"{name} is not an unsigned integer");
    }
}
