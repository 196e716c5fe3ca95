using System.Numerics;
using Flock.Crds.V1Alpha1;
using Flock.KubectlPlugin.Kube;
using Flock.Operator.Staking;

namespace Flock.KubectlPlugin.Status;

/// <summary>One line of `kubectl flock status`, every cell already text ("-" where status has nothing yet).</summary>
public sealed record StatusRow(
    string Namespace, string Name, string Kind, string Phase, string Task, string Stake, string Backend,
    string Provider, string PricePerHour, string EscrowLeft, string TimeToDrain)
{
    public const string None = "-";

    public static readonly string[] Headers =
        ["NAMESPACE", "NAME", "KIND", "PHASE", "TASK", "STAKE", "BACKEND", "PROVIDER", "PRICE/H", "ESCROW LEFT", "TIME-TO-DRAIN"];

    public IReadOnlyList<string> Cells => [Namespace, Name, Kind, Phase, Task, Stake, Backend, Provider, PricePerHour, EscrowLeft, TimeToDrain];

    public static StatusRow From(WorkerResource resource)
    {
        var status = resource.Status;
        var akash = status?.Akash;
        return new StatusRow(
            resource.Namespace,
            resource.Name,
            resource.Kind,
            status?.Phase?.ToString() ?? None,
            string.Join(',', resource.Profile.TaskIds),
            StakeText(status?.Staking),
            status?.Workload?.Backend?.ToString() ?? None,
            Or(akash?.Provider),
            Or(AkashFigures.Display(AkashFigures.PricePerHour(akash))),
            Or(AkashFigures.Display(akash?.EscrowBalance)),
            AkashFigures.TimeToDrain(akash) is { } drain ? AkashFigures.Duration(drain) : None);
    }

    /// <summary>The stake in gmFLOCK (status has wei); "(below min)" when a task's minimum is not met.</summary>
    private static string StakeText(StakingStatus? staking)
    {
        if (staking?.Amount is not { } amount || !BigInteger.TryParse(amount, out var wei)) return None;
        var text = GmFlockAmount.ToDecimalString(wei);
        return staking.Eligible == false ? text + " (below min)" : text;
    }

    private static string Or(string? text) => string.IsNullOrEmpty(text) ? None : text;
}
