# PyTorch CPU timings of the model-zoo backbones the shared anchor (torch_resnet50.py: resnet50, vgg16) does not
# time: forward and one SGD training step at 224², batch 8, with PyTorch's default threads. Same output format
# as the anchor ("torch <version> threads <n>", then "<name>: median <ms> ms"), read by bench/torch_reference.ts.
#
#   /usr/bin/python3 bench/torch_backbones.py [alexnet googlenet vgg19 resnet18 resnet34]
import sys
import time

import torch
import torchvision

BATCH = 8
RUNS = 3
KNOWN = ("alexnet", "googlenet", "vgg19", "resnet18", "resnet34", "resnet50", "vgg16")


def build(arch):
    if arch == "googlenet":
        # fundus-kit's googlenet has no auxiliary classifiers unless asked (auxLogits), so neither does this one.
        return torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=True)
    return getattr(torchvision.models, arch)(weights=None)


def median_ms(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2] * 1000


def main(archs):
    unknown = [a for a in archs if a not in KNOWN]
    if unknown:
        sys.exit(f"torch_backbones.py: unknown backbone(s) {unknown}; known: {list(KNOWN)}")
    torch.manual_seed(0)
    print("torch", torch.__version__, "threads", torch.get_num_threads(), flush=True)
    x = torch.randn(BATCH, 3, 224, 224)
    y = torch.randint(0, 1000, (BATCH,))
    for arch in archs:
        model = build(arch).eval()
        with torch.no_grad():
            ms = median_ms(lambda: model(x), RUNS)
        print(f"{arch} fwd bs={BATCH}: median {ms:.1f} ms", flush=True)
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=1e-3)

        def step():
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()

        ms = median_ms(step, RUNS)
        print(f"{arch} train step bs={BATCH}: median {ms:.1f} ms", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["alexnet", "googlenet", "vgg19", "resnet18", "resnet34"])
