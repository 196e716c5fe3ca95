namespace Flock.Crds.V1Alpha1;

/// <summary>Regular expressions shared by the schema and the code that checks the same values.</summary>
public static class Patterns
{
    /// <summary>A DNS-1123 subdomain: the shape of most Kubernetes object names.</summary>
    public const string DnsSubdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A Secret or ConfigMap data key.</summary>
    public const string SecretKey = "^[-._a-zA-Z0-9]+$";

    /// <summary>A 20-byte EVM address, 0x-prefixed, any letter case.</summary>
    public const string EvmAddress = "^0x[0-9a-fA-F]{40}$";

    /// <summary>A bech32 Akash account or provider address.</summary>
    public const string AkashAddress = "^akash1[02-9ac-hj-np-z]{38,58}$";

    /// <summary>An environment variable name a POSIX shell accepts.</summary>
    public const string EnvVarName = "^[A-Za-z_][A-Za-z0-9_]*$";

    /// <summary>A non-negative decimal amount with up to 18 fractional digits (Cosmos DecCoin precision).</summary>
    public const string DecimalAmount = "^[0-9]{1,30}(\\.[0-9]{1,18})?$";

    /// <summary>A non-negative integer amount, as a string so it is exact beyond 2^53.</summary>
    public const string IntegerAmount = "^[0-9]{1,78}$";

    /// <summary>The Kubernetes quantity grammar (resource.Quantity).</summary>
    public const string Quantity =
        "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

    /// <summary>An Akash GPU model name as providers advertise it (h100, a100, rtx4090, …).</summary>
    public const string GpuModel = "^[a-z0-9][a-z0-9-]{0,62}$";

    /// <summary>A container image reference (registry/repository[:tag][@digest]).</summary>
    public const string Image = "^[a-zA-Z0-9][a-zA-Z0-9._/:@-]*$";

    /// <summary>A condition reason as metav1.Condition defines it.</summary>
    public const string ConditionReason = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

    /// <summary>A condition type as metav1.Condition defines it.</summary>
    public const string ConditionType =
        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";
}
