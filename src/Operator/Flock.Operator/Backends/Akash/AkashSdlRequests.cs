using Flock.Akash.Sdl;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;

namespace Flock.Operator.Backends.Akash;

/// <summary>
/// The SDL request for a worker on Akash: the same workload as the in-cluster Deployment and as the
/// Akash Console templates (image, env names, the 3000-as-80 expose rule, compute, GPU models, price).
/// Akash has no secret store, so the secret values go into the manifest, which only the provider that
/// wins the lease receives; the chain sees only the manifest's hash.
/// </summary>
public static class AkashSdlRequests
{
    /// <summary>The worker's service name in the SDL (and in the provider's lease status).</summary>
    public static string ServiceNameOf(WorkerProfile profile) => profile.Kind == FlockValidator.KindName ? "flock-validator" : "flock-train";

    /// <param name="secretValues">The values of the worker's secret environment, by variable name.</param>
    public static WorkerSdlRequest For(WorkerProfile profile, IReadOnlyDictionary<string, string> secretValues)
    {
        var spec = profile.Spec;
        var akash = spec.Placement.Akash ?? throw new InvalidOperationException("placement.akash is required on Akash");
        var env = WorkerEnvironment.For(profile)
            .Where(e => e.Name != "HF_HOME") // Akash storage is the container's own; the image's default cache works there
            .Select(e => new SdlEnvVar(e.Name, e.ValueFrom?.SecretKeyRef is not null ? secretValues[e.Name] : e.Value ?? ""))
            .ToList();
        return new WorkerSdlRequest
        {
            ServiceName = ServiceNameOf(profile),
            Image = profile.Image,
            Args = profile.Args ?? [],
            Env = env,
            Cpu = spec.Resources.Cpu,
            Memory = spec.Resources.Memory,
            Storage = spec.Resources.Storage,
            GpuCount = spec.Resources.Gpu.Count,
            GpuModels = spec.Resources.Gpu.Models?.Order(StringComparer.Ordinal).ToList() ?? [],
            GpuMemory = spec.Resources.Gpu.MinMemory,
            Attributes = akash.Attributes ?? new Dictionary<string, string>(),
            SignedByAllOf = akash.SignedBy?.AllOf ?? [],
            SignedByAnyOf = akash.SignedBy?.AnyOf ?? [],
            PriceDenom = akash.MaxPrice.Denom == AkashDenom.Uakt ? "uakt" : "uact",
            PriceAmount = akash.MaxPrice.Amount,
        };
    }
}
