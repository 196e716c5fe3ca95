using System.Globalization;
using System.Text.RegularExpressions;

namespace Flock.Operator.Staking;

/// <summary>
/// Where the FLock task manager lives: the JSON-RPC endpoint, the chain id it must report (8453 for Base
/// mainnet), the FlockTaskManagerV2 contract address, and how many blocks a stake must be buried under
/// before it counts (0 reads the latest block).
/// </summary>
/// <remarks>RPC URLs often carry an API key in the path or query, so <see cref="ToString"/> shows only scheme and host.</remarks>
public sealed partial record ChainSettings
{
    /// <summary>Creates settings; throws <see cref="ArgumentException"/> when a value is malformed.</summary>
    public ChainSettings(string rpcUrl, long chainId, string contractAddress, int confirmations = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rpcUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(contractAddress);
        if (!Uri.TryCreate(rpcUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The RPC URL must be an absolute http(s) URL.", nameof(rpcUrl));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chainId);
        ArgumentOutOfRangeException.ThrowIfNegative(confirmations);
        if (!IsAddress(contractAddress))
        {
            throw new ArgumentException($"'{contractAddress}' is not a 0x-prefixed 20-byte hex address.", nameof(contractAddress));
        }

        RpcUrl = rpcUrl;
        ChainId = chainId;
        ContractAddress = contractAddress;
        Confirmations = confirmations;
    }

    /// <summary>Chain id of Base mainnet, where FLock's contracts live.</summary>
    public const long BaseMainnetChainId = 8453;

    /// <summary>The JSON-RPC endpoint (may hold an API key: never log it, use <see cref="RedactedRpcUrl"/>).</summary>
    public string RpcUrl { get; }

    /// <summary>The chain id eth_chainId must return.</summary>
    public long ChainId { get; }

    /// <summary>The FlockTaskManagerV2 (proxy) address.</summary>
    public string ContractAddress { get; }

    /// <summary>Blocks to stay behind the head: reads happen at block latest − Confirmations.</summary>
    public int Confirmations { get; }

    /// <summary>The RPC URL reduced to scheme, host and port, safe for logs and messages.</summary>
    public string RedactedRpcUrl => Redact(RpcUrl);

    /// <inheritdoc />
    public override string ToString() =>
        $"chain {ChainId.ToString(CultureInfo.InvariantCulture)} via {RedactedRpcUrl}, contract {ContractAddress}, {Confirmations.ToString(CultureInfo.InvariantCulture)} confirmation(s)";

    /// <summary>True for a 0x-prefixed 40-hex-digit address (any case; the checksum is not enforced).</summary>
    public static bool IsAddress(string? value) => value is not null && AddressPattern().IsMatch(value);

    /// <summary>Scheme://host[:port] of a URL, dropping user info, path and query (where API keys hide).</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}"
            : "(invalid URL)";

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex AddressPattern();
}
