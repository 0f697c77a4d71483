using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Mobile;

internal sealed class MobileHostTests() : HostTests<MobileBffMarker>("mobile", "Bff.Mobile");
