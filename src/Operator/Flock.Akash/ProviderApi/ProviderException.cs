namespace Flock.Akash.ProviderApi;

/// <summary>What went wrong talking to a provider, in terms the lease flow acts on.</summary>
public enum ProviderErrorKind
{
    /// <summary>No connection: refused, reset, timed out, DNS, or TLS failed for a reason other than the ones below.</summary>
    Unreachable,

    /// <summary>The server's certificate is not one of the provider's valid on-chain certificates (possible impersonation).</summary>
    UntrustedServerCertificate,

    /// <summary>401/403, an auth error 400 (bad token, ambiguous auth), or the TLS session dropped right after we sent a client certificate the provider did not accept.</summary>
    Unauthorized,

    /// <summary>422: the manifest does not decode, is invalid, or its hash differs from the deployment's on-chain hash.</summary>
    ManifestRejected,

    /// <summary>404: the provider holds no lease (or no manifest) for this owner/dseq/gseq/oseq.</summary>
    LeaseNotFound,

    /// <summary>Another status (5xx and the like): the provider failed.</summary>
    ProviderError,

    /// <summary>A 2xx answer we cannot understand (malformed JSON, wrong shape).</summary>
    BadResponse,
}

/// <summary>
/// A failed provider call. The message names the provider, the operation and the problem; it never contains the
/// token, keys or the manifest (which holds secret environment values).
/// </summary>
public sealed class ProviderException : Exception
{
    public ProviderException(ProviderErrorKind kind, int? statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    public ProviderException()
        : this(ProviderErrorKind.ProviderError, null, "The provider call failed.")
    {
    }

    public ProviderException(string message)
        : this(ProviderErrorKind.ProviderError, null, message)
    {
    }

    public ProviderException(string message, Exception innerException)
        : this(ProviderErrorKind.ProviderError, null, message, innerException)
    {
    }

    public ProviderErrorKind Kind { get; }

    /// <summary>The HTTP status when the provider answered; null when it did not.</summary>
    public int? StatusCode { get; }

    /// <summary>Worth retrying later against the same provider (it may come back); the others need a different action.</summary>
    public bool IsTransient => Kind is ProviderErrorKind.Unreachable or ProviderErrorKind.ProviderError;
}
