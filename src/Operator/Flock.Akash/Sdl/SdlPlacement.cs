namespace Flock.Akash.Sdl;

/// <summary>profiles.placement.&lt;name&gt;: where a group may run and what it pays.</summary>
/// <param name="Name">Placement name; it becomes the group name.</param>
/// <param name="Attributes">Provider attributes required, in YAML order (group specs sort them).</param>
/// <param name="SignedByAllOf">Auditors that must all have signed the provider's attributes.</param>
/// <param name="SignedByAnyOf">Auditors of which one must have signed.</param>
/// <param name="Pricing">Maximum price per block for each compute profile.</param>
public sealed record SdlPlacement(
    string Name,
    IReadOnlyList<SdlAttribute>? Attributes,
    IReadOnlyList<string>? SignedByAllOf,
    IReadOnlyList<string>? SignedByAnyOf,
    IReadOnlyList<SdlPrice> Pricing);

/// <summary>A price for one profile: denom (uact on mainnet since node v2.0.0) and decimal amount as written.</summary>
public sealed record SdlPrice(string Profile, string Denom, string Amount);
