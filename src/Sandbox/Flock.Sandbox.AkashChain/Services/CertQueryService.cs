using Flock.Akash.Protos.CertV1;
using Flock.Akash.Protos.CosmosQueryV1Beta1;
using Grpc.Core;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>akash.cert.v1.Query/Certificates filtered by owner, serial and state ("valid"/"revoked").</summary>
internal sealed class CertQueryService(ChainCore chain) : Flock.Akash.Protos.CertV1.Query.QueryBase
{
    public override Task<QueryCertificatesResponse> Certificates(QueryCertificatesRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var f = request.Filter ?? new CertificateFilter();
            var response = new QueryCertificatesResponse();
            response.Certificates.AddRange(s.Certificates
                .Where(c => (f.Owner.Length == 0 || c.Key.Owner == f.Owner) && (f.Serial.Length == 0 || c.Key.Serial == f.Serial) && StateFilter.Matches(c.Value.State, f.State))
                .OrderBy(c => c.Key.Owner, StringComparer.Ordinal).ThenBy(c => c.Key.Serial, StringComparer.Ordinal)
                .Select(c => new CertificateResponse { Certificate = c.Value.Clone(), Serial = c.Key.Serial }));
            response.Pagination = new PageResponse { Total = (ulong)response.Certificates.Count };
            return response;
        }));
}
