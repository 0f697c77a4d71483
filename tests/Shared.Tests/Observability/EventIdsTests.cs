using System.Reflection;
using Bff.Shared.Observability;

namespace Bff.Shared.Tests.Observability;

/// <summary>Every logged event has a unique id from the one list (GatewayEventIds), so ids stay greppable.</summary>
internal sealed class EventIdsTests
{
    [Test]
    public void EventIds_AreUnique()
    {
        var ids = typeof(GatewayEventIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (Name: f.Name, Id: (int)f.GetRawConstantValue()!)).ToList();
        Assert.That(ids, Has.Count.GreaterThan(20));
        Assert.That(ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => string.Join(", ", g.Select(i => i.Name))), Is.Empty);
    }

    [Test]
    public void EveryLoggerMessage_TakesItsIdFromTheList()
    {
        var source = Path.Combine(RepoRoot.Path, "src");
        var strays = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => l.Text.Contains("LoggerMessage(", StringComparison.Ordinal) && !l.Text.Contains("GatewayEventIds.", StringComparison.Ordinal))
            .Select(l => $"{Path.GetRelativePath(source, l.File)}:{l.Line}")
            .ToList();
        Assert.That(strays, Is.Empty);
    }
}
