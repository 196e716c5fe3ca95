namespace Flock.Akash.Sdl;

/// <summary>
/// A parsed SDL (v2.0 or v2.1). Lists keep the order the YAML wrote them in, because the reference implementation
/// (chain-sdk TypeScript) iterates object entries in insertion order and that order reaches the group specs.
/// </summary>
/// <param name="Version">"2.0" or "2.1".</param>
/// <param name="Services">services.*</param>
/// <param name="Compute">profiles.compute.*</param>
/// <param name="Placements">profiles.placement.*</param>
/// <param name="Deployments">deployment.&lt;service&gt;.&lt;placement&gt;, in YAML order.</param>
/// <param name="Endpoints">Names of v2.1 leased-IP endpoints (endpoints.*).</param>
public sealed record SdlDocument(
    string Version,
    IReadOnlyList<SdlService> Services,
    IReadOnlyList<SdlComputeProfile> Compute,
    IReadOnlyList<SdlPlacement> Placements,
    IReadOnlyList<SdlDeployment> Deployments,
    IReadOnlyList<string> Endpoints);

/// <summary>One deployment.&lt;service&gt;.&lt;placement&gt; entry.</summary>
public sealed record SdlDeployment(string Service, string Placement, string Profile, uint Count);

/// <summary>A key/value attribute (placement, CPU or storage attribute; values are strings as the chain stores them).</summary>
public readonly record struct SdlAttribute(string Key, string Value);
