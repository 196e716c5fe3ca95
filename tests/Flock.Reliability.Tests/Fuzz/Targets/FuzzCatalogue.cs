namespace Flock.Reliability.Tests.Fuzz.Targets;

/// <summary>Every fuzz target, with the number of inputs `make test` checks (sized so all of them take ~20-30 s on two cores).</summary>
public static class FuzzCatalogue
{
    public static IReadOnlyList<(IFuzzTarget Target, long TestInputs)> All { get; } =
    [
        (SdlTargets.ParseMutated, 10_000),
        (SdlTargets.RenderRequests, 8_000),
        (ValueTargets.FlockTasks, 60_000),
        (ValueTargets.LegacyDecs, 60_000),
        (ValueTargets.Bech32Addresses, 50_000),
        (AdmissionTarget.MutatedSamples, 5_000),
        (ChainTargets.StakeReads, 25_000),
        (ChainTargets.Bids, 30_000),
    ];
}
