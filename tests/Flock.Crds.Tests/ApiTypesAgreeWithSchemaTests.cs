using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Crds.V1Alpha1;

namespace Flock.Crds.Tests;

/// <summary>
/// What the operator writes through the C# types, the schema keeps: every property set, nothing is
/// pruned as unknown and nothing is refused. A renamed property or a wrong type fails here.
/// </summary>
public sealed class ApiTypesAgreeWithSchemaTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_training_node_with_every_field_set_is_kept_whole()
    {
        var node = new FlockTrainingNode
        {
            Metadata = new() { Name = "full", NamespaceProperty = "default" },
            Spec = new FlockTrainingNodeSpec
            {
                TaskId = 12,
                GitUrl = "https://github.com/example/dataset.git",
                Schedule = new TrainingSchedule { SubmissionsPerDay = 6 },
                Credentials = FullCredentials(),
                Staking = FullStaking(),
                Cache = new CacheSpec { Size = "200Gi", StorageClassName = "fast-ssd" },
                Env = [new EnvVar { Name = "EPOCHS", Value = "3" }],
                Resources = FullResources(),
                Placement = FullPlacement(),
                Suspend = true,
            },
            Status = new FlockTrainingNodeStatus
            {
                ObservedGeneration = 3,
                Phase = Phase.Running,
                Conditions = [FullCondition()],
                Staking = FullStakingStatus(),
                Workload = new WorkloadStatus { Backend = Backend.Akash, Ready = true, Restarts = 2, Since = At },
                Akash = FullAkashStatus(),
                Task = FullTaskStatus(12),
            },
        };

        AssertKeptWhole(node, FlockTrainingNode.KindName);
    }

    [Fact]
    public void A_validator_with_every_field_set_is_kept_whole()
    {
        var validator = new FlockValidator
        {
            Metadata = new() { Name = "full", NamespaceProperty = "default" },
            Spec = new FlockValidatorSpec
            {
                TaskIds = [1, 2, 3],
                Image = "ghcr.io/flock-io/llm-loss-validator:v1.1.2",
                Credentials = FullCredentials(),
                Staking = FullStaking(),
                Resources = FullResources(),
                Placement = FullPlacement(),
            },
            Status = new FlockValidatorStatus
            {
                ObservedGeneration = 1,
                Phase = Phase.AwaitingStake,
                Conditions = [FullCondition()],
                Tasks = [FullTaskStatus(1), FullTaskStatus(2)],
                Staking = FullStakingStatus(),
            },
        };

        AssertKeptWhole(validator, FlockValidator.KindName);
    }

    [Fact]
    public void Amounts_beyond_two_to_the_64_survive_as_exact_strings()
    {
        var status = new FlockTrainingNodeStatus { Staking = new StakingStatus { Amount = "340282366920938463463374607431768211456" } };

        var back = JsonSerializer.Deserialize<FlockTrainingNodeStatus>(JsonSerializer.Serialize(status, Crds.FlockJson.Options), Crds.FlockJson.Options)!;

        Assert.Equal("340282366920938463463374607431768211456", back.Staking!.Amount);
    }

    [Fact]
    public void Times_are_written_as_metav1_time_in_utc_seconds()
    {
        var condition = FullCondition() with { LastTransitionTime = new DateTimeOffset(2026, 11, 25, 9, 30, 15, 123, TimeSpan.FromHours(2)) };

        var json = JsonSerializer.SerializeToNode(condition, Crds.FlockJson.Options)!;

        Assert.Equal("2026-11-25T07:30:15Z", json["lastTransitionTime"]!.GetValue<string>());
    }

    private static void AssertKeptWhole(object resource, string kind)
    {
        var json = JsonSerializer.SerializeToNode(resource, resource.GetType(), Crds.FlockJson.Options)!.AsObject();
        var before = json.DeepClone();
        var schema = CommittedCrds.SchemaFor(kind);

        var pruned = schema.Prune(json);
        var errors = schema.Validate(json);

        Assert.Empty(pruned);
        Assert.Empty(errors.Select(e => e.ToString()));
        Assert.True(JsonNode.DeepEquals(before, json));
    }

    private static Credentials FullCredentials() => new()
    {
        FlockApiKey = new SecretKeySelector { Name = "flock", Key = "api-key" },
        HuggingFace = new HuggingFaceCredentials { SecretName = "hf", UsernameKey = "user", TokenKey = "tok" },
    };

    private static StakingSpec FullStaking() => new()
    {
        Address = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c",
        Gate = StakeGate.Observe,
        Chain = new ChainOverride { RpcUrl = "https://base.example", ChainId = 8453, TaskManager = "0x" + new string('a', 40), Confirmations = 2 },
    };

    private static WorkerResources FullResources() => new()
    {
        Gpu = new GpuSpec { Count = 2, Models = ["h100", "a100"], MinMemory = "80Gi" },
        Cpu = "16",
        Memory = "64Gi",
        Storage = "200Gi",
    };

    private static PlacementSpec FullPlacement() => new()
    {
        Mode = PlacementMode.Auto,
        InCluster = new InClusterPlacement
        {
            NodeSelector = new Dictionary<string, string> { ["pool"] = "gpu" },
            Tolerations = [new Toleration { Key = "nvidia.com/gpu", Operator = TolerationOperator.Exists, Effect = TaintEffect.NoSchedule, TolerationSeconds = 30 }],
            PriorityClassName = "high",
            RuntimeClassName = "nvidia",
        },
        Akash = new AkashPlacement
        {
            AccountSecretRef = new SecretKeySelector { Name = "wallet", Key = "mnemonic" },
            MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "10000.5" },
            Deposit = new AkashCoin { Amount = "5000000" },
            Providers = new ProviderRules { Allow = ["akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3tmr7q"], Deny = ["akash1zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3t2wcxn"] },
            SignedBy = new SignedBy { AllOf = ["akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3tmr7q"], AnyOf = ["akash1zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3t2wcxn"] },
            Attributes = new Dictionary<string, string> { ["region"] = "us-west" },
            Escrow = new EscrowPolicy { TopUpBelow = 14400, MaxSpend = new AkashCoin { Amount = "50000000" } },
            Funding = new FundingPolicy { MintAct = true },
            BidWindow = 5,
        },
    };

    private static Condition FullCondition() => new()
    {
        Type = "Ready",
        Status = ConditionStatus.True,
        ObservedGeneration = 3,
        LastTransitionTime = At,
        Reason = "Running",
        Message = "the worker is running",
    };

    private static StakingStatus FullStakingStatus() => new()
    {
        Address = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c",
        Amount = "3000000000000000000000",
        Eligible = true,
        Tasks = [new TaskStake { TaskId = 12, Amount = "3000000000000000000000", Minimum = "1000000000000000000000", Eligible = true }],
        Block = 22_000_000,
        LastSync = At,
    };

    private static AkashStatus FullAkashStatus() => new()
    {
        Owner = "akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3tmr7q",
        Dseq = 21_000_000,
        Gseq = 1,
        Oseq = 1,
        Provider = "akash1zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3t2wcxn",
        Price = "12.5uact",
        PricePerHour = "7500uact",
        EscrowBalance = "4990000uact",
        Runway = 399_200,
        Spent = "10000uact",
        LeaseState = "active",
        Uris = ["abc.provider.example"],
    };

    private static FlockTaskStatus FullTaskStatus(long id) => new()
    {
        Id = id,
        Title = "Arena task",
        State = "submission_phase",
        SubmissionPhaseEndsAt = At.AddDays(1),
        FinalValidationEndsAt = At.AddDays(2),
        MaxParams = 7_000_000_000,
        LastSync = At,
    };
}
