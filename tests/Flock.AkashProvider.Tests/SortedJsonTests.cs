using System.Text;
using System.Text.Json;
using Flock.Akash.Sdl;
using Flock.Sandbox.AkashProvider.Gateway;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// The simulated provider computes a manifest's version with its own encoder (cosmos-sdk SortJSON over Go's
/// json.Marshal). Checked against the bytes Go writes, and against the operator's independent encoder: the two must
/// agree on every manifest the operator sends, or the provider would refuse it for a version mismatch.
/// </summary>
public sealed class SortedJsonTests
{
    private static string Sorted(string json) => Encoding.UTF8.GetString(SortedJson.Bytes(JsonDocument.Parse(json).RootElement));

    [Theory]
    [InlineData("""{"b":1,"a":{"d":[3,1],"c":true}}""", """{"a":{"c":true,"d":[3,1]},"b":1}""")]
    [InlineData("""{"env":["A=<b>&c"]}""", """{"env":["A=\u003cb\u003e\u0026c"]}""")]
    [InlineData("""{"s":"tab\tline\nbell\u0007 \u2028"}""", """{"s":"tab\tline\nbell\u0007 \u2028"}""")]
    [InlineData("""{"n":[8000,1.5,0.000001,1e21,100000000000000000000]}""", """{"n":[8000,1.5,0.000001,1e+21,100000000000000000000]}""")]
    [InlineData("""{"a":1,"a":2}""", """{"a":2}""")]
    public void Writes_what_Go_writes(string input, string expected) => Assert.Equal(expected, Sorted(input));

    [Fact]
    public void Agrees_with_the_operators_encoder_on_a_rendered_manifest()
    {
        var request = new WorkerSdlRequest
        {
            ServiceName = "flock-validator", Image = "ghcr.io/flock-io/llm-loss-validator:v1.1.2", PriceAmount = "10000",
            Args = ["llm_judge", "--task_ids", "7,8"],
            Env = [new SdlEnvVar("FLOCK_API_KEY", "k<&>\"\\"), new SdlEnvVar("TASK_ID", "7,8")],
            GpuModels = ["a100", "h100"],
        };

        var compiled = SdlRenderer.Compile(request);

        Assert.Equal(compiled.ManifestJson, Sorted(compiled.ManifestJson));
        Assert.Equal(compiled.Version, System.Security.Cryptography.SHA256.HashData(SortedJson.Bytes(JsonDocument.Parse(compiled.ManifestJson).RootElement)));
    }
}
