using System.Text.RegularExpressions;
using Flock.Sandbox.FlockApi;
using Flock.Sandbox.Host;

namespace Flock.Sandbox.Tests;

/// <summary>`make run` applies config/samples as they are: the demo's FLock API must accept the keys their Secrets hold.</summary>
public sealed partial class DemoCredentialsTests
{
    // A Secret's stringData entry "api-key: VALUE" (the credentials' own "key: api-key" lines do not start with it).
    [GeneratedRegex(@"^\s+api-key:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ApiKeyEntry();

    private static IReadOnlyList<string> SampleKeys() =>
    [
        .. Directory.GetFiles(Repo.SamplesDir, "*.yaml")
            .SelectMany(f => ApiKeyEntry().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value.Trim('"', '\''))),
    ];

    [Fact]
    public async Task Every_sample_secrets_flock_api_key_is_accepted_by_the_demos_flock_api()
    {
        var keys = SampleKeys().Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(keys);
        await using var api = await FlockApiSimulator.StartAsync();
        api.AddTask(SimulatedTask.Open(7, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        DemoCredentials.Register(api);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        foreach (var key in keys)
        {
            // The validator sample's first keyed call (FLock-validator validator/api.py request_validation_assignment).
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{api.BaseUrl}/tasks/request-validation-assignment/7");
            request.Headers.TryAddWithoutValidation("flock-api-key", key);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            // Not 401: the key is known, and with nothing submitted yet the real "no submissions" refusal comes back.
            Assert.Equal("{\"detail\":\"No task submissions available to validate\"}", body);
        }
    }
}
