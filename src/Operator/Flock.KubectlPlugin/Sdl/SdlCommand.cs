using Flock.Akash.Sdl;
using Flock.Crds.V1Alpha1;
using Flock.KubectlPlugin.Kube;
using Flock.Operator.Backends.Akash;

namespace Flock.KubectlPlugin.Sdl;

/// <summary>
/// `kubectl flock sdl NAME`: the Akash SDL the operator deploys (or would deploy) for an Akash or Auto
/// resource, rendered by the operator's own mapping and renderer, with secret values as placeholders.
/// </summary>
public static class SdlCommand
{
    public static async Task<int> RunAsync(KubeConnection connection, string reference, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var resource = await new WorkerReader(connection).GetAsync(reference, connection.Namespace, ct);
        var mode = resource.Spec.Placement.Mode;
        if (mode == PlacementMode.InCluster)
        {
            throw new PluginException($"{resource.Kind} {resource.Namespace}/{resource.Name} runs in the cluster (placement.mode InCluster): it has no SDL. " +
                "Akash and Auto placements do.");
        }

        string yaml;
        try
        {
            yaml = SdlRenderer.Render(AkashSdlRequests.For(resource.Profile, SecretPlaceholders.Of(resource.Profile))).Yaml;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new PluginException($"{resource.Kind} {resource.Namespace}/{resource.Name} cannot be rendered as SDL: {e.Message}");
        }

        if (mode == PlacementMode.Auto && resource.Status?.Workload?.Backend == Backend.InCluster)
        {
            await error.WriteLineAsync($"# {resource.Name} runs in the cluster now (placement.mode Auto); this is the SDL it would deploy on Akash.");
        }

        if (resource.Status?.ObservedGeneration is { } observed && observed != resource.Object.Metadata.Generation)
        {
            await error.WriteLineAsync($"# the operator has not yet acted on the latest spec (generation {resource.Object.Metadata.Generation}, observed {observed}): " +
                "this SDL is the one it will deploy next.");
        }

        await output.WriteAsync(yaml);
        return 0;
    }
}
