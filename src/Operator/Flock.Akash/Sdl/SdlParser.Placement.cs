using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Flock.Akash.Sdl;

// profiles.placement: attributes, signedBy and pricing (denom and an amount the chain can carry as a LegacyDec).
public static partial class SdlParser
{
    private static readonly string[] PlacementKeys = ["attributes", "signedBy", "pricing"];

    private sealed partial class Context
    {
        private SdlPlacement Placement(string name, YamlNode node, string path)
        {
            if (node is not YamlMappingNode m)
            {
                Error(path, "must be a mapping");
                return new SdlPlacement(name, null, null, null, []);
            }

            CheckKeys(m, path, PlacementKeys);
            IReadOnlyList<string>? allOf = null;
            IReadOnlyList<string>? anyOf = null;
            if (Child(m, "signedBy") is YamlMappingNode sb)
            {
                CheckKeys(sb, path + "/signedBy", ["allOf", "anyOf"]);
                allOf = StringList(sb, path + "/signedBy", "allOf");
                anyOf = StringList(sb, path + "/signedBy", "anyOf");
            }

            var pricing = new List<SdlPrice>();
            foreach (var (profile, priceNode) in Map(m, path, "pricing", required: true))
            {
                var ppath = $"{path}/pricing/{profile}";
                if (priceNode is not YamlMappingNode pm)
                {
                    Error(ppath, "must be {denom, amount}");
                    continue;
                }

                CheckKeys(pm, ppath, ["denom", "amount"]);
                var denom = RequiredString(pm, ppath, "denom") ?? "";
                if (!DenomPattern().IsMatch(denom))
                {
                    Error(ppath + "/denom", "must be uakt, uact or an ibc/ denom");
                }

                string amount = "";
                switch (Child(pm, "amount"))
                {
                    case YamlScalarNode s when YamlScalar.Resolve(s) is double d && d >= 0:
                        amount = JsNumber.ToString(d);
                        break;
                    case YamlScalarNode s when YamlScalar.Resolve(s) is string text && AmountPattern().IsMatch(text):
                        amount = text;
                        break;
                    default:
                        Error(ppath + "/amount", "is required: a non-negative decimal number");
                        break;
                }

                // The group spec carries the amount as a LegacyDec: at most 18 decimals and no exponent form
                // (JavaScript writes numbers from 1e21 up, or below 1e-6, as 1e+21 / 1e-7).
                if (amount.Length > 0 && !IsLegacyDec(amount))
                {
                    Error(ppath + "/amount", $"{amount} is not a decimal the chain can carry (at most 18 decimal places, no exponent): write it as a quoted decimal");
                }

                pricing.Add(new SdlPrice(profile, denom, amount));
            }

            return new SdlPlacement(name, Attributes(m, path), allOf, anyOf, pricing);
        }
    }

    private static bool IsLegacyDec(string amount)
    {
        try
        {
            _ = Chain.LegacyDec.ToWire(amount);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(uakt|uact|ibc/.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DenomPattern();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();
}
