using System.Globalization;

namespace Flock.Akash.ProviderApi;

/// <summary>A lease as the provider API names it: the owner comes from the credentials, the provider from the host.</summary>
public sealed record LeaseId(ulong Dseq, uint Gseq, uint Oseq)
{
    /// <summary>From the chain's lease id.</summary>
    public static LeaseId From(Protos.MarketV1.LeaseID id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return new LeaseId(id.Dseq, id.Gseq, id.Oseq);
    }

    /// <summary>"dseq/gseq/oseq", the provider API's path segment.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Dseq}/{Gseq}/{Oseq}");
}

/// <summary>GET /lease/{dseq}/{gseq}/{oseq}/status (chain-sdk go/provider/client/types.go LeaseStatus).</summary>
/// <param name="Services">Per service name.</param>
/// <param name="ForwardedPorts">Per service: global ports other than 80, mapped to node ports.</param>
/// <param name="Ips">Per service: leased IPs.</param>
/// <param name="Errors">The provider's "errors" messages, if any.</param>
public sealed record LeaseStatus(
    IReadOnlyDictionary<string, ServiceStatus> Services,
    IReadOnlyDictionary<string, IReadOnlyList<ForwardedPortStatus>> ForwardedPorts,
    IReadOnlyDictionary<string, IReadOnlyList<LeasedIpStatus>> Ips,
    IReadOnlyList<string> Errors)
{
    /// <summary>True when there is at least one service and every service has all its replicas available.</summary>
    public bool AllServicesReady => Services.Count > 0 && Services.Values.All(s => s.IsReady);
}

/// <summary>One service of a lease (ServiceStatus).</summary>
public sealed record ServiceStatus(
    string Name,
    int Available,
    int Total,
    IReadOnlyList<string> Uris,
    long ObservedGeneration,
    int Replicas,
    int UpdatedReplicas,
    int ReadyReplicas,
    int AvailableReplicas)
{
    /// <summary>All wanted replicas are available.</summary>
    public bool IsReady => Total > 0 && Available >= Total;
}

/// <summary>A forwarded port (ForwardedPortStatus): the container <paramref name="Port"/> reachable at <paramref name="Host"/>:<paramref name="ExternalPort"/>.</summary>
public sealed record ForwardedPortStatus(string Host, int Port, int ExternalPort, string Proto, string Name);

/// <summary>A leased IP endpoint (LeasedIPStatus; Go writes these fields capitalised).</summary>
public sealed record LeasedIpStatus(uint Port, uint ExternalPort, string Protocol, string Ip);

/// <summary>One log line from the logs WebSocket: <c>{"name": pod, "message": line}</c>.</summary>
public sealed record ProviderLogLine(string Name, string Message);
