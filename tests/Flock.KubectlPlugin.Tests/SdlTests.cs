using System.Text;
using Flock.Akash.Sdl;
using Flock.Crds;
using Flock.Crds.V1Alpha1;
using Flock.KubectlPlugin.Tests.Support;
using Flock.Operator.Backends.Akash;
using Flock.Operator.Workers;

namespace Flock.KubectlPlugin.Tests;

/// <summary>`kubectl flock sdl`: the operator's SDL for the resource, with Secrets never read.</summary>
[Collection(PluginCollection.Name)]
public sealed class SdlTests(PluginWorld world) : IAsyncLifetime
{
    private const string Ns = "sdl";

    public Task InitializeAsync() => world.SeedOnceAsync(nameof(SdlTests), SeedAsync);

    private async Task SeedAsync()
    {
        await world.CreateNamespaceAsync(Ns);
        // The Akash sample as a user applies it: its Secrets, then the training node.
        var apply = await world.KubectlAsync(["--kubeconfig", world.AdminKubeconfig, "apply", "-n", Ns, "-f", Path.Combine(Repo.Samples, "training-node-akash.yaml")]);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        await world.CreateAsync(Resources.TrainingNodes, Ns, Resources.TrainingNode("local", Ns));
        await world.CreateAsync(Resources.TrainingNodes, Ns, Resources.TrainingNode("flexible", Ns, "Auto"),
            new FlockTrainingNodeStatus { Phase = Phase.Running, Workload = new WorkloadStatus { Backend = Backend.InCluster } });
        await world.CreateAsync(Resources.TrainingNodes, Ns, Resources.TrainingNode("twin", Ns, "Akash"));
        await world.CreateAsync(Resources.Validators, Ns, Resources.Validator("twin", Ns, 7));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<ProcessResult> SdlAsync(string reference) =>
        PluginWorld.PluginAsync(["sdl", reference, "-n", Ns, "--kubeconfig", world.ViewerKubeconfig]);

    [Fact]
    public async Task Sdl_is_what_the_operator_renders_with_secret_values_as_placeholders()
    {
        var result = await SdlAsync("trainer-akash");
        Assert.True(result.ExitCode == 0, result.ToString());

        // What the operator's Akash backend renders, with the Secrets' real values (read here as admin).
        using var client = world.Client();
        var element = (System.Text.Json.JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(FlockApi.Group, FlockApi.Version, Ns, Resources.TrainingNodes, "trainer-akash");
        var profile = WorkerProfile.For(System.Text.Json.JsonSerializer.Deserialize<FlockTrainingNode>(element, FlockJson.Options)!);
        var secrets = new Dictionary<string, string>();
        var placeholders = new Dictionary<string, string>();
        foreach (var e in WorkerEnvironment.For(profile).Where(e => e.ValueFrom?.SecretKeyRef is not null))
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(e.ValueFrom.SecretKeyRef.Name, Ns);
            secrets[e.Name] = Encoding.UTF8.GetString(secret.Data[e.ValueFrom.SecretKeyRef.Key]);
            placeholders[e.Name] = $"<secret {e.ValueFrom.SecretKeyRef.Name}/{e.ValueFrom.SecretKeyRef.Key}>";
        }

        var operatorSdl = SdlRenderer.Render(AkashSdlRequests.For(profile, secrets)).Yaml;
        var expected = secrets.Aggregate(operatorSdl, (sdl, s) => sdl.Replace($"{s.Key}={s.Value}\"", $"{s.Key}={placeholders[s.Key]}\"", StringComparison.Ordinal));

        Assert.Equal(expected, result.StdOut);
        Assert.NotEqual(operatorSdl, result.StdOut);
        Assert.All(secrets.Values, value => Assert.DoesNotContain(value, result.StdOut, StringComparison.Ordinal));
        Assert.Contains("FLOCK_API_KEY=<secret flock-credentials-akash/api-key>", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sdl_parses_and_the_akash_reference_accepts_it()
    {
        var result = await SdlAsync("ftn/trainer-akash");
        Assert.True(result.ExitCode == 0, result.ToString());

        var document = SdlParser.Parse(result.StdOut);
        var service = Assert.Single(document.Services);
        Assert.Equal("flock-train", service.Name);
        Assert.Contains("FLOCK_API_KEY=<secret flock-credentials-akash/api-key>", service.Env ?? []);
        Assert.Empty(await AkashReference.SdlErrorsAsync(result.StdOut));
    }

    [Fact]
    public async Task An_in_cluster_resource_has_no_sdl()
    {
        var result = await SdlAsync("local");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("runs in the cluster (placement.mode InCluster): it has no SDL", result.StdErr, StringComparison.Ordinal);
        Assert.Equal("", result.StdOut);
    }

    [Fact]
    public async Task An_auto_resource_running_in_the_cluster_shows_the_sdl_it_would_deploy()
    {
        var result = await SdlAsync("flexible");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("this is the SDL it would deploy on Akash", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(await AkashReference.SdlErrorsAsync(result.StdOut));
    }

    [Fact]
    public async Task A_name_both_kinds_use_needs_its_kind()
    {
        var ambiguous = await SdlAsync("twin");
        var named = await SdlAsync("ftn/twin");
        var missing = await SdlAsync("nobody");

        Assert.Equal(1, ambiguous.ExitCode);
        Assert.Contains("say which, ftn/twin or fv/twin", ambiguous.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, named.ExitCode);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no FlockTrainingNode or FlockValidator named nobody in namespace sdl", missing.StdErr, StringComparison.Ordinal);
    }
}
