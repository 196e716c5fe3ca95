using Flock.Akash.Client;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// Where a provider's API is and which server certificates it may present: the DER of its valid on-chain
/// certificates (cert.v1). The provider's TLS certificate is self-signed; it is trusted because the chain says so,
/// not because a public CA signed it.
/// </summary>
/// <param name="Address">The provider's account address (akash1…).</param>
/// <param name="HostUri">Its registered host_uri, e.g. https://provider.example.com:8443.</param>
/// <param name="PinnedCertificatesDer">DER of the provider's valid on-chain certificates; the server certificate must equal one.</param>
public sealed record ProviderEndpoint(string Address, Uri HostUri, IReadOnlyList<byte[]> PinnedCertificatesDer)
{
    /// <summary>
    /// Reads the provider's host_uri and valid certificates from the chain. Throws <see cref="ProviderException"/>
    /// (<see cref="ProviderErrorKind.Unreachable"/>) when the address is not a registered provider or its host_uri is not https.
    /// </summary>
    public static async Task<ProviderEndpoint> ResolveAsync(AkashChainClient chain, string provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        var registered = await chain.GetProviderAsync(provider, cancellationToken).ConfigureAwait(false)
            ?? throw new ProviderException(ProviderErrorKind.Unreachable, null, $"{provider} is not a registered provider on chain.");
        if (!Uri.TryCreate(registered.HostUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ProviderException(ProviderErrorKind.Unreachable, null, $"Provider {provider} has host_uri '{registered.HostUri}', which is not an https:// URL.");
        }

        var pins = await chain.GetValidCertificatesDerAsync(provider, cancellationToken).ConfigureAwait(false);
        return new ProviderEndpoint(provider, uri, pins);
    }

    /// <summary>Shows address, URI and how many certificates are pinned.</summary>
    public override string ToString() => $"ProviderEndpoint({Address}, {HostUri}, {PinnedCertificatesDer.Count} pinned)";
}
