namespace KvmPS.Engine.Tests.Conversion;

/// <summary>The OpenAPI documents of KubeVirt, CDI and Kubernetes' node.k8s.io/v1 (tests/fixtures/openapi), loaded once.</summary>
internal static class KubeVirtSchemas
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "openapi", name);

    private static readonly Lazy<OpenApiSchema> s_kubevirt = new(() => new OpenApiSchema(Fixture("kubevirt-swagger.json")));
    private static readonly Lazy<OpenApiSchema> s_cdi = new(() => new OpenApiSchema(Fixture("cdi-swagger.json")));
    private static readonly Lazy<OpenApiSchema> s_node = new(() =>
        new OpenApiSchema(Fixture("kubernetes-node-v1-runtimeclass.json"), Fixture("kubevirt-swagger.json"))
            .Alias("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"));

    public static OpenApiSchema KubeVirt => s_kubevirt.Value;
    public static OpenApiSchema Cdi => s_cdi.Value;
    public static OpenApiSchema Node => s_node.Value;

    public static string Kubevirt(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "kubevirt", name);
}
