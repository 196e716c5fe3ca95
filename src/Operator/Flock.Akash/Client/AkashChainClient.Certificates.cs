using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flock.Akash.Protos.CertV1;
using Grpc.Core;

namespace Flock.Akash.Client;

/// <summary>cert.v1 queries: the certificates a provider checks mTLS clients against, and the operator pins provider servers to.</summary>
public sealed partial class AkashChainClient
{
    /// <summary>Certificates of <paramref name="owner"/>, optionally only one serial and/or state ("valid", "revoked").</summary>
    public Task<IReadOnlyList<CertificateResponse>> ListCertificatesAsync(string owner, string state = "", string serial = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var client = new Query.QueryClient(_channel);
        return PagedAsync("cert/Certificates",
            async page => await client.CertificatesAsync(
                new QueryCertificatesRequest { Filter = new CertificateFilter { Owner = owner, State = state ?? string.Empty, Serial = serial ?? string.Empty }, Pagination = page },
                Call(cancellationToken)).ConfigureAwait(false),
            r => r.Certificates, r => r.Pagination, cancellationToken);
    }

    /// <summary>
    /// The DER bytes of every valid certificate of <paramref name="owner"/> (what a provider's server certificate is
    /// pinned to). Entries that are not one parseable PEM "CERTIFICATE" block are skipped: the chain validated them
    /// at creation, so that only happens with a node we should not trust anyway.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> GetValidCertificatesDerAsync(string owner, CancellationToken cancellationToken = default)
    {
        var certificates = await ListCertificatesAsync(owner, "valid", cancellationToken: cancellationToken).ConfigureAwait(false);
        var result = new List<byte[]>();
        foreach (var c in certificates)
        {
            if (c.Certificate is null || c.Certificate.State != State.Valid)
            {
                continue;
            }

            try
            {
                using var parsed = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(c.Certificate.Cert.Span));
                result.Add(parsed.RawData);
            }
            catch (CryptographicException)
            {
                // Skipped, see above.
            }
        }

        return result;
    }

    /// <summary>
    /// The account's 33-byte secp256k1 public key, or null when the account exists but never signed a transaction
    /// (the key reaches the chain with the first tx). A never-funded address gives <see cref="AkashAccountNotFundedException"/>.
    /// </summary>
    public async Task<byte[]?> GetAccountPublicKeyAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        try
        {
            var response = await RpcErrors.CallAsync("auth/AccountInfo", async () =>
                await _auth.AccountInfoAsync(new Protos.CosmosAuthV1Beta1.QueryAccountInfoRequest { Address = address }, Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            var any = response.Info?.PubKey;
            if (any is null || any.TypeUrl != Chain.TypeUrls.Secp256k1PubKey)
            {
                return null;
            }

            return Chain.TypeUrls.Unpack<Protos.CosmosCryptoSecp256k1.PubKey>(any).Key.ToByteArray();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new AkashAccountNotFundedException(address, e);
        }
    }
}
