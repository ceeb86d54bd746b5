"""The encrypted archive against bare pyzipper writing the same files with the same settings.

    python benchmarks/bench_archive.py [ROWS_PER_FILE] [FILES] [REPEATS]     (default 50000 6 3)

Target (issue 4): building the archive, verification excluded, ≤ 1.1× bare pyzipper (WZ_AES, 256
bits, deflate) on the same exported .xlsx files. The build is timed up to the first "verify"
progress call, so it includes hashing, fsync and the temp-file handling; the total includes the
verification (every member decrypted and hashed, sources re-hashed, the wrong-password check).
Each figure is the best of REPEATS runs, the two methods alternating so the page cache is fair.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyzipper  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from packaging.archive import build_archive  # noqa: E402
from packaging.password import generate  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁韦覃莫"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文海燕宁波斌宇浩凯健俊帆鹏辉力婷雪琳晶颖"
COUNTIES = ["南宁市青秀区", "南宁市武鸣区", "柳州市柳江区", "桂林市荔浦市", "百色市平果市", "贺州市平桂区", "崇左市凭祥市"]


def write_frame(path: Path, rows: int, seed: int) -> int:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"附件{seed}")
    ws.append(["序号", "姓名", "性别", "工作单位及地址", "职务", "区号", "固定电话", "手机号码", "邮政编码"])
    for n in range(1, rows + 1):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        county = rng.choice(COUNTIES)
        mobile = f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"
        ws.append([n, name, rng.choice("男女"), f"{county}人民路{rng.randint(1, 300)}号 {county}交通运输局",
                   "科长", "0771", str(rng.randint(2_000_000, 8_999_999)), mobile, "530000"])  # fmt: skip
    wb.save(path)
    return path.stat().st_size


def bare(files: list[Path], target: Path, password: str) -> float:
    start = time.perf_counter()
    with pyzipper.AESZipFile(
        target, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES,
        encryption_kwargs={"nbits": 256},
    ) as zf:  # fmt: skip
        zf.setpassword(password.encode("ascii"))
        for path in files:
            zf.write(path, path.name)
    return time.perf_counter() - start


def ours(files: list[Path], out: Path, password: str) -> tuple[float, float]:
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks.setdefault(stage, time.perf_counter())

    start = time.perf_counter()
    build_archive(out, "bench.zip", files, password, progress=progress, overwrite=True)
    end = time.perf_counter()
    return marks["verify"] - start, end - start


def main(rows: int = 50_000, count: int = 6, repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        files = [folder / f"附件{n}_南宁市公安局_抽样框.xlsx" for n in range(2, 2 + count)]
        sizes = [write_frame(path, rows, seed) for seed, path in enumerate(files, 2)]
        print(f"{count} files × {rows} rows, {sum(sizes) / 2**20:.1f} MB, made in {time.perf_counter() - start:.1f} s")
        password = generate()
        bares, builds, totals = [], [], []
        for _ in range(repeats):
            bares.append(bare(files, folder / "bare.zip", password))
            build, total = ours(files, folder / "out", password)
            builds.append(build)
            totals.append(total)
        b = min(bares)
        print(f"bare pyzipper (WZ_AES 256, deflate):   {b:.3f} s")
        print(f"build_archive, verification excluded: {min(builds):.3f} s  ratio {min(builds) / b:.2f}×  (target ≤ 1.10×)")
        print(f"build_archive, with verification:     {min(totals):.3f} s  ratio {min(totals) / b:.2f}×")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
