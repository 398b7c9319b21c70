package org.canut.search;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single OpenSearch node for the portal's search, run from Maven Central's jars.
 *
 * <p>OpenSearch's own launcher (Bootstrap) loads plugins from a distribution's folders; this
 * node gets its two plugins from the class path instead, through Node's protected
 * constructor: Netty4 for HTTP, the common analysis for the French analysis (elision,
 * asciifolding, the French stemmer, edge n-grams).
 *
 * <p>Usage: {@code java -cp ... org.canut.search.EmbeddedNode <home> <http port>}; data and logs
 * live under {@code <home>}. Stopped by SIGTERM (the shutdown hook closes the node cleanly).
 */
public class EmbeddedNode extends Node {

    private static final String NAME = "canut";

    EmbeddedNode(Environment environment) {
        super(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class), true);
    }

    @Override
    protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {
        // Tags log lines with the node and cluster ids through log4j-core's context: nothing
        // to tag here (the default implementation expects OpenSearch's logging setup).
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : "var/opensearch").toAbsolutePath();
        String port = args.length > 1 ? args[1] : "9200";
        Settings settings = Settings.builder()
            .put("cluster.name", NAME)
            .put("node.name", NAME)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            // Its transport port stays off the next service's: 9300 upward, the first free.
            .put("transport.port", "9300-9399")
            .put("discovery.type", "single-node")
            // A nearly full disk would otherwise turn every index read-only.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();
        Environment environment =
            InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), null, () -> NAME);
        EmbeddedNode node = new EmbeddedNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.start();
        // One node holds no replica: every index, whoever creates it, gets none (green, not yellow).
        node.client().admin().indices().preparePutTemplate("single-node-no-replicas")
            .setPatterns(List.of("*"))
            .setOrder(-1)
            .setSettings(Settings.builder().put("index.number_of_replicas", 0))
            .get();
        System.out.println("OpenSearch " + org.opensearch.Version.CURRENT + " listening on http://127.0.0.1:" + port);
        stopped.await();
    }
}
