using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Partner;

internal sealed class PartnerHostTests() : HostTests<PartnerBffMarker>("partner", "Bff.Partner");
