using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;

namespace Bff.Hosts.Tests.Deploy;

/// <summary>
/// deploy/k8s without a cluster: each overlay is rendered with <c>kubectl kustomize</c>, every rendered object must
/// deserialise into its Kubernetes API type with unknown fields refused (KubernetesClient's strict YAML reader: a
/// misspelt or misplaced field fails instead of being dropped, as the API server would drop or refuse it), and the
/// typed objects must have what requirement 5 of #21 names.
/// </summary>
internal sealed class KubernetesManifestsTests
{
    private static readonly string[] Overlays = ["development", "production"];
    private static readonly string[] Bffs = ["web", "mobile", "partner"];
    private static readonly string[] SecretSettings = ["ApiKeys__Pepper", "ConnectionStrings__Redis", "ConnectionStrings__KeyStore"];
    private static readonly ConcurrentDictionary<string, IReadOnlyList<IKubernetesObject>> Rendered = new();

    [TestCaseSource(nameof(Overlays))]
    public void Overlay_Renders_EveryObjectIsTypedAndInOneNamespace(string overlay)
    {
        var objects = Render(overlay);

        Assert.That(objects.OfType<V1Deployment>().Select(d => d.Name()), Is.EquivalentTo(Bffs.Select(b => $"bff-{b}")));
        var ns = objects.OfType<V1Namespace>().Single().Name();
        Assert.That(objects.Where(o => o is not V1Namespace).Select(o => ((IMetadata<V1ObjectMeta>)o).Namespace()), Has.All.EqualTo(ns));
    }

    [TestCaseSource(nameof(Overlays))]
    public void Overlay_Deployments_HaveProbesDrainSecurityResourcesRoutesAndSecretRefs(string overlay)
    {
        var objects = Render(overlay);
        foreach (var bff in Bffs)
        {
            var pod = Deployment(objects, bff).Spec.Template.Spec;
            var container = pod.Containers.Single();
            var env = container.Env.ToDictionary(e => e.Name);
            using var scope = Assert.EnterMultipleScope();

            Assert.That(Port(container, container.StartupProbe.HttpGet.Port), Is.EqualTo(8080), bff);
            Assert.That(container.StartupProbe.HttpGet.Path, Is.AnyOf("/health/live", "/health/ready"), bff);
            Assert.That((container.LivenessProbe.HttpGet.Path, Port(container, container.LivenessProbe.HttpGet.Port)), Is.EqualTo(("/health/live", 8080)), bff);
            Assert.That((container.ReadinessProbe.HttpGet.Path, Port(container, container.ReadinessProbe.HttpGet.Port)), Is.EqualTo(("/health/ready", 8080)), bff);
            Assert.That(env["Urls"].Value, Does.EndWith(":8080"), bff);

            // The kubelet's grace period starts at deletion: preStop, then the app's drain, then its shutdown timeout.
            var preStop = container.Lifecycle.PreStop;
            Assert.That(preStop.Sleep ?? (object?)preStop.Exec ?? preStop.HttpGet, Is.Not.Null, $"{bff}: preStop has no action");
            var needed = (preStop.Sleep?.Seconds ?? 0) + Seconds(env["Gateway__DrainDelay"]) + Seconds(env["Gateway__ShutdownTimeout"]);
            Assert.That(pod.TerminationGracePeriodSeconds, Is.GreaterThanOrEqualTo(needed), bff);

            Assert.That(container.SecurityContext.RunAsNonRoot ?? pod.SecurityContext.RunAsNonRoot, Is.True, bff);
            Assert.That(container.SecurityContext.RunAsUser ?? pod.SecurityContext.RunAsUser, Is.GreaterThan(0), bff);
            Assert.That(container.SecurityContext.ReadOnlyRootFilesystem, Is.True, bff);
            Assert.That(container.SecurityContext.AllowPrivilegeEscalation, Is.False, bff);
            Assert.That(container.SecurityContext.Capabilities.Drop, Does.Contain("ALL"), bff);
            Assert.That((container.SecurityContext.SeccompProfile ?? pod.SecurityContext.SeccompProfile).Type, Is.EqualTo("RuntimeDefault"), bff);
            Assert.That(container.Resources.Requests.Keys, Is.SupersetOf(new[] { "cpu", "memory" }), bff);
            Assert.That(container.Resources.Limits.Keys, Does.Contain("memory"), bff);
            Assert.That(env["KeyStore__Provider"].Value, Is.AnyOf("Sqlite", "SqlServer", "Postgres"), bff);

            // The route ConfigMap is mounted where Gateway:ConfigPath points.
            var routes = pod.Volumes.Single(v => v.ConfigMap?.Name == $"bff-{bff}-routes");
            Assert.That(container.VolumeMounts.Single(m => m.Name == routes.Name).MountPath, Is.EqualTo(env["Gateway__ConfigPath"].Value), bff);
            Assert.That(objects.OfType<V1ConfigMap>().Select(c => c.Name()), Is.SupersetOf(container.EnvFrom.Select(e => e.ConfigMapRef.Name)), bff);

            // Secrets come from a Secret, never inline; in development from the generated one (its hashed name).
            var secrets = objects.OfType<V1Secret>().ToList();
            foreach (var setting in SecretSettings)
            {
                var reference = env[setting].ValueFrom?.SecretKeyRef;
                Assert.That(env[setting].Value, Is.Null, $"{bff}: {setting} is inline");
                Assert.That(reference, Is.Not.Null, $"{bff}: {setting} has no secretKeyRef");
                if (reference is not null && secrets.Count > 0)
                    Assert.That(secrets.Single(s => s.Name() == reference.Name).Data.Keys, Does.Contain(reference.Key), $"{bff}: {setting}");
            }
        }
    }

    [Test]
    public void Secrets_ProductionGeneratesNone_DevelopmentOnlyPlaceholders()
    {
        Assert.That(Render("production").OfType<V1Secret>(), Is.Empty, "production's Secret is created out of band");
        var pepper = Render("development").OfType<V1Secret>().Single().Data["api-keys-pepper"];
        Assert.That(System.Text.Encoding.UTF8.GetString(pepper), Does.StartWith("PLACEHOLDER"));
    }

    [TestCaseSource(nameof(Overlays))]
    public void Overlay_ServicePdbAndHpa_SelectEachDeploymentsPods(string overlay)
    {
        var objects = Render(overlay);
        foreach (var bff in Bffs)
        {
            var deployment = Deployment(objects, bff);
            var labels = deployment.Spec.Template.Metadata.Labels;
            var others = objects.OfType<V1Deployment>().Where(d => d != deployment).Select(d => d.Spec.Template.Metadata.Labels).ToList();
            using var scope = Assert.EnterMultipleScope();

            Assert.That(Matches(deployment.Spec.Selector, labels), Is.True, $"{bff}: the Deployment's selector misses its own pods");
            var service = objects.OfType<V1Service>().Single(s => s.Spec.Selector is { Count: > 0 } sel && Matches(sel, labels));
            Assert.That(others.Any(o => Matches(service.Spec.Selector, o)), Is.False, $"{bff}: the Service also selects another BFF");
            Assert.That(service.Spec.Ports.Select(p => Port(deployment.Spec.Template.Spec.Containers[0], p.TargetPort)), Has.All.EqualTo(8080), bff);
            var pdb = objects.OfType<V1PodDisruptionBudget>().Single(p => Matches(p.Spec.Selector, labels));
            Assert.That(others.Any(o => Matches(pdb.Spec.Selector, o)), Is.False, $"{bff}: the PDB also selects another BFF");

            var hpa = objects.OfType<V2HorizontalPodAutoscaler>().Single(h => h.Spec.ScaleTargetRef.Name == deployment.Name());
            Assert.That((hpa.Spec.ScaleTargetRef.ApiVersion, hpa.Spec.ScaleTargetRef.Kind), Is.EqualTo(("apps/v1", "Deployment")), bff);
            Assert.That(hpa.Spec.MinReplicas, Is.LessThanOrEqualTo(hpa.Spec.MaxReplicas), bff);
            Assert.That(hpa.Spec.Metrics.Select(m => m.Resource?.Name), Does.Contain("cpu"), bff);
        }
    }

    [TestCaseSource(nameof(Overlays))]
    public void Overlay_RouteConfigMaps_HoldExactlyTheHostsRouteFiles(string overlay)
    {
        var objects = Render(overlay);
        foreach (var bff in Bffs)
        {
            var folder = Path.Combine(RepoRoot.Path, "ocelot", bff);
            var files = Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
            var data = objects.OfType<V1ConfigMap>().Single(c => c.Name() == $"bff-{bff}-routes").Data;
            Assert.That(data, Is.EquivalentTo(files), $"ocelot/kustomization.yaml must list every file of ocelot/{bff}/");
        }
    }

    [TestCaseSource(nameof(Overlays))]
    public void Overlay_NetworkPolicy_AdmitsOnlyTheGatewayPort_AndTheNeededEgress(string overlay)
    {
        var objects = Render(overlay);
        var policy = objects.OfType<V1NetworkPolicy>().Single();
        using var scope = Assert.EnterMultipleScope();

        Assert.That(objects.OfType<V1Deployment>().Select(d => Matches(policy.Spec.PodSelector, d.Spec.Template.Metadata.Labels)), Has.All.True);
        Assert.That(policy.Spec.PolicyTypes, Is.EquivalentTo(new[] { "Ingress", "Egress" }));
        // A rule without ports would open every port: each ingress rule names 8080 and only 8080.
        Assert.That(policy.Spec.Ingress.Select(r => r.Ports?.Select(p => (p.Port.Value, p.Protocol)).ToArray() ?? []),
            Has.All.EqualTo(new[] { ("8080", "TCP") }));
        var egress = policy.Spec.Egress.SelectMany(r => r.Ports ?? []).Select(p => (p.Port.Value, p.Protocol)).ToList();
        Assert.That(egress, Is.SupersetOf(new[] { ("53", "UDP"), ("53", "TCP"), ("6379", "TCP"), ("26379", "TCP"), ("5432", "TCP") }));
    }

    [Test]
    public void Validate_MisspeltField_IsRefused()
    {
        const string deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: x }
            spec:
              replicas: 2
              selector: { matchLabels: { app: x } }
              template:
                metadata: { labels: { app: x } }
                spec: { containers: [ { name: x, image: x } ] }
            """;

        Assert.That(Validate(deployment, "control"), Has.One.InstanceOf<V1Deployment>());
        Assert.That(() => Validate(deployment.Replace("replicas:", "replica:", StringComparison.Ordinal), "misspelt"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("'replica' not found on type 'k8s.Models.V1DeploymentSpec'"));
    }

    /// <summary>Every object as its API type; an unknown field, a wrong value type or an unknown kind fails.</summary>
    private static IReadOnlyList<IKubernetesObject> Validate(string yaml, string source)
    {
        try
        {
            return KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true).Cast<IKubernetesObject>().ToList();
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{source}: not valid against the Kubernetes API types: {e.Message} {e.InnerException?.Message}");
        }
    }

    private static IReadOnlyList<IKubernetesObject> Render(string overlay) => Rendered.GetOrAdd(overlay, static overlay =>
    {
        var folder = Path.Combine(RepoRoot.Path, "deploy", "k8s", "overlays", overlay);
        var kubectl = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("kubectl is not on PATH: these tests render deploy/k8s with `kubectl kustomize` (any kubectl from 1.20 on).");
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var yaml = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(); throw new InvalidOperationException($"kubectl kustomize {folder} did not finish in 60 s"); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"kubectl kustomize {folder} exited {process.ExitCode}: {stderr.Result}");
        return Validate(yaml, $"overlays/{overlay}");
    });

    private static V1Deployment Deployment(IEnumerable<IKubernetesObject> objects, string bff) =>
        objects.OfType<V1Deployment>().Single(d => d.Name() == $"bff-{bff}");

    private static int Seconds(V1EnvVar setting) => (int)Math.Ceiling(TimeSpan.Parse(setting.Value, CultureInfo.InvariantCulture).TotalSeconds);

    /// <summary>A probe's or Service's port (a number or a container port's name) as the container port number.</summary>
    private static int Port(V1Container container, IntOrString port) =>
        int.TryParse(port.Value, CultureInfo.InvariantCulture, out var number) ? number : container.Ports.Single(p => p.Name == port.Value).ContainerPort;

    private static bool Matches(IDictionary<string, string> selector, IDictionary<string, string> labels) =>
        selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    private static bool Matches(V1LabelSelector selector, IDictionary<string, string> labels) =>
        Matches(selector.MatchLabels ?? new Dictionary<string, string>(), labels) && (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => false,
        });
}
