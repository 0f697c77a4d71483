using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Web;

internal sealed class WebHostTests() : HostTests<WebBffMarker>("web", "Bff.Web");
