using Flock.Akash.ProviderApi;

namespace Flock.AkashProvider.Tests;

/// <summary>A provider error that quotes an environment value must not carry it into our exception.</summary>
public sealed class ManifestSecretsTests
{
    [Fact]
    public void Env_values_of_the_manifest_are_redacted_from_provider_error_text()
    {
        const string manifest = """[{"name":"akash","services":[{"name":"w","env":["FLOCK_API_KEY=sk-live-123456","HF_TOKEN=hf_abcdef","X=1"]}]}]""";
        var secrets = ManifestSecrets.ValuesOf(manifest);
        var text = ManifestSecrets.Redact("invalid env FLOCK_API_KEY=sk-live-123456 and hf_abcdef, X=1", secrets);
        Assert.Equal("invalid env *** and ***, X=1", text);
        Assert.Empty(ManifestSecrets.ValuesOf("not json"));
    }
}
