using Flock.Crds.V1Alpha1;
using k8s.Models;

namespace Flock.Bench.Soak;

/// <summary>The three kinds of worker the soak mixes: in-cluster training nodes, validators on two tasks, training nodes on Akash.</summary>
internal enum SoakKind
{
    InCluster,
    Validator,
    Akash,
}

/// <summary>What the driver last asked of one resource.</summary>
internal sealed record Desired(SoakKind Kind, string Namespace, string Name, bool Exists, bool Suspended, int Revision);

internal static class SoakResources
{
    private static Credentials Credentials => new()
    {
        FlockApiKey = new SecretKeySelector { Name = "flock", Key = "api-key" },
        HuggingFace = new HuggingFaceCredentials { SecretName = "hf" },
    };

    private static IReadOnlyList<EnvVar> Env(int revision) => [new EnvVar { Name = "SOAK_REVISION", Value = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) }];

    public static object Build(Desired d, SoakWorld world) => d.Kind switch
    {
        SoakKind.Validator => new FlockValidator
        {
            Metadata = new V1ObjectMeta { Name = d.Name, NamespaceProperty = d.Namespace },
            Spec = new FlockValidatorSpec
            {
                TaskIds = SoakWorld.ValidatorTasks,
                Credentials = Credentials,
                Staking = new StakingSpec { Address = world.ValidatorStaker.Address, Gate = StakeGate.Required },
                Env = Env(d.Revision),
                Suspend = d.Suspended,
                Resources = new WorkerResources { Gpu = new GpuSpec { Count = 1 }, Cpu = "4", Memory = "16Gi" },
            },
        },
        _ => new FlockTrainingNode
        {
            Metadata = new V1ObjectMeta { Name = d.Name, NamespaceProperty = d.Namespace },
            Spec = new FlockTrainingNodeSpec
            {
                TaskId = 12,
                Credentials = Credentials,
                Staking = new StakingSpec { Address = world.NodeStaker.Address, Gate = StakeGate.Required },
                Env = Env(d.Revision),
                Suspend = d.Suspended,
                Resources = new WorkerResources
                {
                    Gpu = new GpuSpec { Count = 1, Models = d.Kind == SoakKind.Akash ? ["a100"] : null },
                    Cpu = "8",
                    Memory = "24Gi",
                },
                Placement = d.Kind == SoakKind.Akash
                    ? new PlacementSpec
                    {
                        Mode = PlacementMode.Akash,
                        Akash = new AkashPlacement
                        {
                            AccountSecretRef = new SecretKeySelector { Name = "wallet", Key = "mnemonic" },
                            MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "1000" },
                            Deposit = new AkashCoin { Denom = AkashDenom.Uact, Amount = "5000000" },
                        },
                    }
                    : new PlacementSpec(),
            },
        },
    };
}
