package dev.medallion.platform.example;

import dev.medallion.io.api.ApiBronze;
import dev.medallion.io.api.ApiSource;
import dev.medallion.ops.Layer;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.SourceKind;
import java.util.List;
import org.apache.beam.sdk.Pipeline;

/**
 * An example API pipeline written from a definition alone (README "Adding a pipeline"): the catalog
 * API's pages into a versioned bronze table through the API skeleton; failed requests go to the
 * quarantine and fail the run, naming the endpoint.
 */
public final class CatalogPipeline implements PipelineDefinition<CatalogOptions> {
  static final String NAME = "catalog";
  static final String BRONZE = "bronze.catalog_raw";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Example: a paged, token-protected catalog API into a versioned bronze table.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.API;
  }

  @Override
  public List<LayerTables> layers() {
    return List.of(LayerTables.of(Layer.BRONZE, BRONZE));
  }

  @Override
  public Class<CatalogOptions> optionsType() {
    return CatalogOptions.class;
  }

  @Override
  public String schedule() {
    return "on demand";
  }

  @Override
  public String describeSource(CatalogOptions options) {
    return options.getCatalogBaseUrl();
  }

  @Override
  public List<String> streams(CatalogOptions options) {
    return List.of(CatalogConnector.ITEMS);
  }

  @Override
  public void build(Pipeline pipeline, CatalogOptions options, RunContext context) {
    pipeline.apply(
        "LandCatalog",
        ApiBronze.from(
                ApiSource.of(new CatalogConnector())
                    .withBaseUrl(options.getCatalogBaseUrl())
                    .withHttpClientConfiguration(context.http()))
            .into(context.target(), BRONZE)
            .forRun(NAME, context.runId()));
  }
}
