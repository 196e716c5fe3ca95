using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using k8s.Models;

namespace Flock.Operator.Workers;

/// <summary>
/// The quantities in a spec that the schema's grammar admits but nothing can use: a negative size, or one beyond any
/// machine ("1e400"). Caught before they reach the builders, as a condition naming the field, instead of an overflow in
/// every reconcile.
/// </summary>
public static class QuantityCheck
{
    /// <summary>Anything above 2^60 bytes (an exbibyte) or millicores is no real request.</summary>
    private const decimal Largest = 1L << 60;

    public static WorkloadProblem? Problem(WorkerSpec spec)
    {
        var r = spec.Resources;
        (string Field, string? Value)[] quantities =
        [
            ("spec.resources.cpu", r.Cpu), ("spec.resources.memory", r.Memory), ("spec.resources.storage", r.Storage),
            ("spec.resources.gpu.minMemory", r.Gpu.MinMemory), ("spec.cache.size", spec.Cache?.Size),
        ];
        foreach (var (field, value) in quantities)
        {
            if (value is null) continue;
            decimal parsed;
            try
            {
                parsed = new ResourceQuantity(value).ToDecimal();
            }
            catch (Exception e) when (e is OverflowException or FormatException or ArgumentException)
            {
                return Invalid(field, value, "it is out of range");
            }

            if (parsed < 0) return Invalid(field, value, "it is negative");
            if (parsed > Largest) return Invalid(field, value, "it is larger than any machine offers");
        }

        return null;
    }

    private static WorkloadProblem Invalid(string field, string value, string why) =>
        new WorkloadProblem("InvalidQuantity", $"{field} {value} cannot be used: {why}; give a Kubernetes quantity such as 8, 24Gi or 500m", Fatal: true);
}
