using System.Text.Json.Serialization;
using Flock.Crds.Serialization;
using Flock.Crds.Schema;

namespace Flock.Crds.V1Alpha1;

/// <summary>A non-secret environment variable for the worker.</summary>
public sealed record EnvVar
{
    /// <summary>Variable name. Names the operator sets from credentials and task ids are refused.</summary>
    [Required, Length(1, 256), Pattern(Patterns.EnvVarName)]
    public string Name { get; init; } = "";

    /// <summary>Variable value (never a secret: secrets go through credentials).</summary>
    [Length(0, 32768)]
    public string? Value { get; init; }
}

/// <summary>The persistent volume for the Hugging Face cache (HF_HOME) and outputs.</summary>
public sealed record CacheSpec
{
    /// <summary>Size of the volume (a Kubernetes quantity).</summary>
    [Quantity, JsonConverter(typeof(IntOrStringConverter)), Default("\"100Gi\"")]
    public string Size { get; init; } = "100Gi";

    /// <summary>StorageClass of the volume; the cluster default when unset.</summary>
    [Length(1, 253), Pattern(Patterns.DnsSubdomain)]
    public string? StorageClassName { get; init; }
}

/// <summary>
/// Fields both kinds share: credentials, stake, image, compute, placement and suspension.
/// </summary>
[CelRule("!has(self.env) || self.env.all(e, !(e.name in ['FLOCK_API_KEY', 'HF_TOKEN', 'HF_USERNAME', 'HG_USERNAME', 'TASK_ID', 'GIT_URL', 'HF_HOME']))",
    "env must not set FLOCK_API_KEY, HF_TOKEN, HF_USERNAME, HG_USERNAME, TASK_ID, GIT_URL or HF_HOME: the operator sets them from the spec",
    FieldPath = ".env", Reason = "FieldValueForbidden")]
public abstract record WorkerSpec
{
    /// <summary>Secrets the worker needs: the FLock API key and the Hugging Face account.</summary>
    [Required]
    public Credentials Credentials { get; init; } = new();

    /// <summary>The participant's stake and whether it gates the worker.</summary>
    [Required]
    public StakingSpec Staking { get; init; } = new();

    /// <summary>Hugging Face cache volume (in-cluster placement).</summary>
    [Default("{}")]
    public CacheSpec Cache { get; init; } = new();

    /// <summary>Extra non-secret environment variables for the worker.</summary>
    [Length(0, 64), ListType("map", "name")]
    public IReadOnlyList<EnvVar>? Env { get; init; }

    /// <summary>Compute for the worker: GPUs, CPU, memory, storage.</summary>
    [Default("{}")]
    public WorkerResources Resources { get; init; } = new();

    /// <summary>Where the worker runs: this cluster, Akash, or Auto.</summary>
    [Default("{}")]
    public PlacementSpec Placement { get; init; } = new();

    /// <summary>Stop the worker (scale to zero or close the lease) but keep the resource and its status.</summary>
    [Default("false")]
    public bool Suspend { get; init; }
}
