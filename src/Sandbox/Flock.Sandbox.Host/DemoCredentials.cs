using Flock.Sandbox.FlockApi;

namespace Flock.Sandbox.Host;

/// <summary>
/// The FLock API keys of the sample Secrets (config/samples/*.yaml, key api-key), which `make run` applies as they are:
/// the demo's FLock API accepts them, or every keyed call of the samples' workers would be refused with 401.
/// tests/Flock.Sandbox.Tests (DemoCredentialsTests) reads the samples and fails when one holds a key missing here.
/// </summary>
public static class DemoCredentials
{
    public static IReadOnlyList<string> SampleFlockApiKeys { get; } = ["REPLACE_WITH_FLOCK_API_KEY"];

    public static void Register(FlockApiSimulator flockApi)
    {
        ArgumentNullException.ThrowIfNull(flockApi);
        for (var i = 0; i < SampleFlockApiKeys.Count; i++) flockApi.IssueApiKey(SampleFlockApiKeys[i], $"sample-{i + 1}");
    }
}
