namespace Flock.Sandbox.AkashProvider;

/// <summary>Where in the manifest PUT a <see cref="ProviderFaults.ManifestHook"/> runs.</summary>
public enum ManifestPoint
{
    /// <summary>An authenticated PUT arrived; nothing is validated or applied yet.</summary>
    Received,

    /// <summary>The manifest is applied to the deployment's leases; the 200 has not been sent.</summary>
    Accepted,
}

/// <summary>One manifest PUT at one hook point: the deployment's owner (the JWT's issuer) and dseq.</summary>
public sealed record ManifestArrival(ManifestPoint Point, string Owner, ulong Dseq);
