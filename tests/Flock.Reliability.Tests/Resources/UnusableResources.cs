using Flock.Crds.V1Alpha1;
using Flock.Reliability.Tests.Support;
using k8s;
using k8s.Models;

namespace Flock.Reliability.Tests.Resources;

/// <summary>
/// A resource the apiserver admits but the operator cannot run as asked, and the condition that must say why:
/// <paramref name="Condition"/> carries <paramref name="Reason"/> and a message containing every one of
/// <paramref name="Names"/> (the secret, key, model, task, address or chain at fault).
/// </summary>
public sealed record UnusableCase(string Name, Func<World, string, IKubernetesObject<V1ObjectMeta>> Build, string Condition, string Reason, Func<World, string[]> Names)
{
    public UnusableCase(string name, Func<World, string, IKubernetesObject<V1ObjectMeta>> build, string condition, string reason, params string[] names)
        : this(name, build, condition, reason, _ => names)
    {
    }

    /// <summary>What the outside world must do wrong for this case (an image that cannot be pulled, …).</summary>
    public Action<World>? Arrange { get; init; }

    public override string ToString() => Name;
}

/// <summary>The table. Every resource starts from a valid, staked, in-cluster one and breaks one thing.</summary>
public static class UnusableResources
{
    public const string ApiKeySecret = "flock";
    public const string HuggingFaceSecret = "hf";
    public const string PullFailsImage = "registry.invalid/flock/trainer:missing";
    public const string CrashingImage = "registry.invalid/flock/trainer:crashes";

    // No code lives here on the sandbox chain (an address nothing was deployed to).
    private const string NoContract = "0x00000000000000000000000000000000000c0de0";

    public static IReadOnlyList<UnusableCase> All { get; } =
    [
        new("api-key-secret-missing", (w, ns) => Node(w, ns, "api-key-secret-missing", s => s with
        {
            Credentials = s.Credentials with { FlockApiKey = new SecretKeySelector { Name = "no-such-secret", Key = "api-key" } },
        }), "Ready", "SecretNotFound", "no-such-secret", "api-key"),

        new("api-key-key-missing", (w, ns) => Node(w, ns, "api-key-key-missing", s => s with
        {
            Credentials = s.Credentials with { FlockApiKey = new SecretKeySelector { Name = ApiKeySecret, Key = "apikey" } },
        }), "Ready", "SecretKeyMissing", ApiKeySecret, "apikey"),

        new("hf-secret-missing", (w, ns) => Node(w, ns, "hf-secret-missing", s => s with
        {
            Credentials = s.Credentials with { HuggingFace = new HuggingFaceCredentials { SecretName = "missing-hf" } },
        }), "Stalled", "SecretNotFound", "missing-hf"),

        new("hf-token-key-missing", (w, ns) => Node(w, ns, "hf-token-key-missing", s => s with
        {
            Credentials = s.Credentials with { HuggingFace = new HuggingFaceCredentials { SecretName = HuggingFaceSecret, TokenKey = "hf-token" } },
        }), "WorkloadReady", "SecretKeyMissing", HuggingFaceSecret, "hf-token"),

        new("validator-api-key-secret-missing", (w, ns) => Validator(w, ns, "validator-api-key-secret-missing", s => s with
        {
            Credentials = s.Credentials with { FlockApiKey = new SecretKeySelector { Name = "validator-key", Key = "api-key" } },
        }), "Ready", "SecretNotFound", "validator-key"),

        new("unknown-gpu-model", (w, ns) => Node(w, ns, "unknown-gpu-model", s => s with
        {
            Resources = s.Resources with { Gpu = s.Resources.Gpu with { Models = ["tpu-v5"] } },
        }), "Stalled", "UnknownGpuModel", "tpu-v5", "h100"),

        new("gpu-memory-beyond-range", (w, ns) => Node(w, ns, "gpu-memory-beyond-range", s => s with
        {
            Resources = s.Resources with { Gpu = s.Resources.Gpu with { MinMemory = "1e400" } },
        }), "Stalled", "InvalidQuantity", "spec.resources.gpu.minMemory", "1e400"),

        new("negative-cpu", (w, ns) => Node(w, ns, "negative-cpu", s => s with
        {
            Resources = s.Resources with { Cpu = "-8" },
        }), "Stalled", "InvalidQuantity", "spec.resources.cpu", "negative"),

        new("akash-without-akash-node", (w, ns) => Node(w, ns, "akash-without-akash-node", s => s with
        {
            Placement = new PlacementSpec
            {
                Mode = PlacementMode.Akash,
                Akash = new AkashPlacement
                {
                    AccountSecretRef = new SecretKeySelector { Name = "akash-wallet", Key = "mnemonic" },
                    MaxPrice = new AkashCoin { Amount = "10000" },
                },
            },
        }), "Ready", "AkashNotConfigured", "Akash__GrpcUrl"),

        new("task-unknown-to-flock", (w, ns) => Node(w, ns, "task-unknown-to-flock", s => s with { TaskId = 424242 }),
            "TaskOpen", "TaskNotFound", "424242"),

        new("validator-with-one-unknown-task", (w, ns) => Validator(w, ns, "validator-with-one-unknown-task", s => s with { TaskIds = [12, 525252] }),
            "Ready", "TaskNotFound", "525252"),

        new("task-submission-over", (w, ns) => Node(w, ns, "task-submission-over", s => s with { TaskId = 13 }),
            "TaskOpen", "SubmissionPhaseEnded", "task 13"),

        new("address-without-stake", (w, ns) => Node(w, ns, "address-without-stake", s => s with
        {
            Staking = s.Staking with { Address = w.Unstaked.Address },
        }), "Staked", "StakeMissing", w => [w.Unstaked.Address, "task 12", "3000 gmFLOCK"]),

        new("validator-address-without-stake", (w, ns) => Validator(w, ns, "validator-address-without-stake", s => s with
        {
            Staking = s.Staking with { Address = w.Unstaked.Address },
        }), "Ready", "StakeMissing", w => [w.Unstaked.Address, "validator"]),

        new("address-staked-as-validator", (w, ns) => Node(w, ns, "address-staked-as-validator", s => s with
        {
            Staking = s.Staking with { Address = w.ValidatorStaker.Address },
        }), "Staked", "WrongRole", "a validator", "task 12"),

        new("chain-id-mismatch", (w, ns) => Node(w, ns, "chain-id-mismatch", s => s with
        {
            Staking = s.Staking with { Chain = new ChainOverride { ChainId = 999 } },
        }), "Staked", "StakingUnavailable", "999", "serves chain"),

        new("task-manager-without-code", (w, ns) => Node(w, ns, "task-manager-without-code", s => s with
        {
            Staking = s.Staking with { Chain = new ChainOverride { TaskManager = NoContract } },
        }), "Staked", "StakingUnavailable", "No contract code", NoContract),

        new("rpc-unreachable", (w, ns) => Node(w, ns, "rpc-unreachable", s => s with
        {
            Staking = s.Staking with { Chain = new ChainOverride { RpcUrl = "http://127.0.0.1:9" } },
        }), "Staked", "StakingUnavailable", "eth_chainId", "127.0.0.1:9"),

        new("rpc-url-is-not-json-rpc", (w, ns) => Node(w, ns, "rpc-url-is-not-json-rpc", s => s with
        {
            // An HTTP server that is not an Ethereum node: the FLock API answers the POST with 404/405.
            Staking = s.Staking with { Chain = new ChainOverride { RpcUrl = w.FlockApi.BaseUrl } },
        }), "Staked", "StakingUnavailable", "eth_chainId", "HTTP"),

        new("image-cannot-be-pulled", (w, ns) => Node(w, ns, "image-cannot-be-pulled", s => s with { Image = PullFailsImage }),
            "Stalled", "ImagePullFailed", PullFailsImage) { Arrange = w => w.Cluster.Kubelet.FailImagePull(PullFailsImage) },

        new("image-crashes", (w, ns) => Node(w, ns, "image-crashes", s => s with { Image = CrashingImage }),
            "Ready", "CrashLoopBackOff", "exit code 3") { Arrange = w => w.Cluster.Kubelet.CrashLoop(CrashingImage, 3) },

        new("more-gpus-than-any-node", (w, ns) => Node(w, ns, "more-gpus-than-any-node", s => s with
        {
            Resources = s.Resources with { Gpu = s.Resources.Gpu with { Count = 16 } },
        }), "Ready", "Unschedulable", "nvidia.com/gpu"),

        new("node-selector-matches-no-node", (w, ns) => Node(w, ns, "node-selector-matches-no-node", s => s with
        {
            Placement = new PlacementSpec { InCluster = new InClusterPlacement { NodeSelector = new Dictionary<string, string> { ["pool"] = "nowhere" } } },
        }), "WorkloadReady", "Unschedulable", "node"),
        new("gpu-memory-more-than-any-gpu", (w, ns) => Node(w, ns, "gpu-memory-more-than-any-gpu", s => s with
        {
            Resources = s.Resources with { Gpu = s.Resources.Gpu with { MinMemory = "200Gi" } },
        }), "Ready", "Unschedulable", "node affinity"),

        new("cache-storage-class-missing", (w, ns) => Node(w, ns, "cache-storage-class-missing", s => s with
        {
            Cache = new CacheSpec { StorageClassName = "no-such-class" },
        }), "Ready", "Unschedulable", "PersistentVolumeClaims"),
    ];

    /// <summary>A valid in-cluster training node on task 12, staked by the world's staker, gated on the stake.</summary>
    public static FlockTrainingNode Node(World world, string ns, string name, Func<FlockTrainingNodeSpec, FlockTrainingNodeSpec>? change = null)
    {
        var spec = new FlockTrainingNodeSpec
        {
            TaskId = 12,
            Credentials = new Credentials
            {
                FlockApiKey = new SecretKeySelector { Name = ApiKeySecret, Key = "api-key" },
                HuggingFace = new HuggingFaceCredentials { SecretName = HuggingFaceSecret },
            },
            Staking = new StakingSpec { Address = world.Staker.Address, Gate = StakeGate.Required },
            Resources = new WorkerResources { Gpu = new GpuSpec { Count = 1, Models = ["h100", "a100"] }, Cpu = "1", Memory = "1Gi" },
        };
        return new FlockTrainingNode { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = change is null ? spec : change(spec) };
    }

    /// <summary>A valid validator on task 12 whose wallet is staked as a validator there.</summary>
    public static FlockValidator Validator(World world, string ns, string name, Func<FlockValidatorSpec, FlockValidatorSpec>? change = null)
    {
        var spec = new FlockValidatorSpec
        {
            TaskIds = [12],
            Credentials = new Credentials
            {
                FlockApiKey = new SecretKeySelector { Name = ApiKeySecret, Key = "api-key" },
                HuggingFace = new HuggingFaceCredentials { SecretName = HuggingFaceSecret },
            },
            Staking = new StakingSpec { Address = world.ValidatorStaker.Address, Gate = StakeGate.Required },
            Resources = new WorkerResources { Gpu = new GpuSpec { Count = 1 }, Cpu = "1", Memory = "1Gi" },
        };
        return new FlockValidator { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = change is null ? spec : change(spec) };
    }
}
